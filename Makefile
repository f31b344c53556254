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
        lighthouse bench clean deploy-functions inbox lihat terima tolak laporan poster

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt functions/requirements.txt
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

check: venv ## Validate sellers' content without building (FORMAT=github: PR annotations)
	$(PYTHON) -m warung_catalog.check $(CONTENT) $(if $(FORMAT),--format $(FORMAT))

serve: html ## Build, then serve site + /api/* at http://127.0.0.1:$(PORT)/
	$(PYTHON) -m local.serve --port $(PORT) --output $(OUTPUT)

devserver: html ## Like serve, rebuilding when content or theme change
	$(PYTHON) -m local.serve --port $(PORT) --output $(OUTPUT) --autoreload

publish: venv ## Build with production settings (publishconf.py)
	$(PELICAN) $(CONTENT) -o $(OUTPUT) -s publishconf.py

upload: publish ## Publish to S3 + CloudFront and the functions' private catalog
	$(PYTHON) scripts/publish.py --output $(OUTPUT) --stack $(STACK)

# The staff inbox of seller submissions: the running `make serve` (PORT),
# or the deployed stack when STACK is given (make inbox STACK=warung).
INBOX := $(PYTHON) -m inbox.cli $(if $(filter command line environment,$(origin STACK)),--stack $(STACK),--url http://127.0.0.1:$(PORT))

inbox: venv ## Seller submissions waiting for review
	@$(INBOX) list

lihat: venv ## Show one submission, photos saved in kiriman/REF/ (REF=...)
	@$(INBOX) lihat "$(REF)"

terima: venv ## Accept: write content/shops/, check, commit on branch penjual/REF (REF=...)
	@$(INBOX) terima "$(REF)"

tolak: venv ## Decline with a reason the seller sees (REF=... ALASAN="...")
	@$(INBOX) tolak "$(REF)" "$(ALASAN)"

laporan: venv ## Programme report into laporan/ (running make serve; STACK=name for AWS)
	$(PYTHON) -m report.main --port $(PORT) --catalog $(OUTPUT)/katalog.json --out laporan \
		$(if $(filter command line environment,$(origin STACK)),--stack $(STACK))

poster: html ## Every shop's A5 QR poster in one printable file: poster/semua-toko.html
	$(PYTHON) -m warung_poster --catalog $(OUTPUT)/katalog.json --out poster/semua-toko.html

chromium: ## Install Debian's chromium for browser tests when missing
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test-deps: $(VENV)/.dev-installed node_modules/.installed chromium

test: test-deps ## Run every test (unit, build, handler, browser)
	$(BIN)/pytest

lighthouse: html ## Lighthouse 12.2.3 scores for home, a category and a product page
	$(PYTHON) bench/lighthouse.py --output $(OUTPUT)

bench: test-deps ## Run the benchmarks in bench/ (prints numbers)
	$(PYTHON) bench/build_speed.py --big 50000
	$(PYTHON) bench/render_pages.py
	$(PYTHON) bench/photo_weight.py
	$(PYTHON) bench/handler_import.py
	$(PYTHON) bench/order_load.py

deploy-functions: venv ## sam build + sam deploy of functions/template.yaml (needs AWS credentials)
	$(PYTHON) -m pip install -q aws-sam-cli
	cd functions && $(CURDIR)/$(BIN)/sam build && $(CURDIR)/$(BIN)/sam deploy --guided

clean: ## Remove build output and caches (keeps .venv)
	rm -rf $(OUTPUT) private .cache __pycache__ .pytest_cache test-results
