# Warung Online: every staff and developer action. `make help` lists them.
# Self-bootstrapping: the first target that needs Python creates .venv and
# installs the pinned requirements; `make test` also installs Debian chromium.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
PELICAN := $(BIN)/pelican
PORT ?= 8000
STACK ?= warung
CONTENT := content
OUTPUT := output
export PYTHONPATH := $(CURDIR)/functions:$(CURDIR)/plugins:$(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help venv html check serve devserver publish upload test test-deps chromium \
        lighthouse bench clean deploy-functions

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PYTHON) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed ## Create .venv with the pinned dependencies

html: venv ## Build the catalog into output/ (dev settings; skipped when nothing changed)
	$(PYTHON) -m warung_catalog.build $(CONTENT) -o $(OUTPUT) -s pelicanconf.py

check: venv ## Validate sellers' content without building
	$(PYTHON) -m warung_catalog.check $(CONTENT)

serve: html ## Build, then serve site + /api/* at http://127.0.0.1:$(PORT)/
	$(PYTHON) -m local.serve --port $(PORT) --output $(OUTPUT)

devserver: html ## Like serve, rebuilding when content or theme change
	$(PYTHON) -m local.serve --port $(PORT) --output $(OUTPUT) --autoreload

publish: venv ## Build with production settings (publishconf.py)
	$(PELICAN) $(CONTENT) -o $(OUTPUT) -s publishconf.py

upload: publish ## Publish to S3 + CloudFront and the functions' private catalog
	$(PYTHON) scripts/publish.py --output $(OUTPUT) --stack $(STACK)

chromium: ## Install Debian's chromium for browser tests when missing
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)

test-deps: $(VENV)/.dev-installed chromium

test: test-deps ## Run every test (unit, build, handler, browser)
	$(BIN)/pytest

lighthouse: html ## Lighthouse 12.2.3 scores for home, a category and a product page
	$(PYTHON) bench/lighthouse.py --output $(OUTPUT)

bench: test-deps ## Run the benchmarks in bench/ (prints numbers)
	$(PYTHON) bench/build_speed.py --big 50000
	$(PYTHON) bench/photo_weight.py
	$(PYTHON) bench/handler_import.py
	$(PYTHON) bench/order_load.py

deploy-functions: venv ## sam build + sam deploy of functions/template.yaml (needs AWS credentials)
	$(PYTHON) -m pip install -q aws-sam-cli
	cd functions && $(CURDIR)/$(BIN)/sam build && $(CURDIR)/$(BIN)/sam deploy --guided

clean: ## Remove build output and caches (keeps .venv)
	rm -rf $(OUTPUT) private .cache __pycache__ .pytest_cache test-results
