"""The local run never ships in a Lambda bundle.

``sam build`` copies each function's ``CodeUri`` folder (relative to
``functions/template.yaml``) into the bundle and installs
``functions/requirements.txt`` next to it. No module there may import moto
or the local run, and no file of ``local/`` may be among them.
"""

import ast
import hashlib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
TEMPLATE = FUNCTIONS / "template.yaml"
DEV_ONLY = {"moto", "local", "werkzeug", "flask", "sitefiles"}  # the local run and its server


class _CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub, ...) read as plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_CloudFormationLoader.add_multi_constructor("!", _any_tag)


def code_uris() -> dict[str, Path]:
    """{function resource: its CodeUri folder}, the Globals default included."""
    template = yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)
    default = ((template.get("Globals") or {}).get("Function") or {}).get("CodeUri")
    found = {}
    for name, resource in template["Resources"].items():
        if resource.get("Type") == "AWS::Serverless::Function":
            uri = (resource.get("Properties") or {}).get("CodeUri", default)
            assert isinstance(uri, str), f"{name}: CodeUri {uri!r} is not a local folder"
            found[name] = (TEMPLATE.parent / uri).resolve()
    return found


def bundle_files(folder: Path) -> list[Path]:
    """What sam build copies from ``folder`` (bytecode caches aside)."""
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def imported_roots(path: Path) -> set[str]:
    """Top-level names a module imports anywhere (lazy imports in functions
    included), and module names passed as strings (importlib)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            names.update(arg.value.split(".")[0] for arg in node.args
                         if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_template_names_its_functions_code():
    uris = code_uris()
    assert {"OrderFunction", "MailerFunction", "SearchFunction"} <= set(uris), uris
    for folder in uris.values():
        assert folder.is_dir() and folder.is_relative_to(FUNCTIONS)


@pytest.mark.parametrize("module", sorted(FUNCTIONS.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(FUNCTIONS)))
def test_no_function_module_imports_moto_or_the_local_run(module):
    assert not imported_roots(module) & DEV_ONLY


def test_no_bundle_carries_dev_server_code():
    # (empty files, such as a bare __init__.py, say nothing about where they came from)
    local_files = {_digest(p) for p in bundle_files(ROOT / "local") if p.stat().st_size}
    for name, folder in code_uris().items():
        for path in bundle_files(folder):
            relative = path.relative_to(folder)
            assert relative.parts[0] not in DEV_ONLY, f"{name} ships {relative}"
            assert relative.stem not in DEV_ONLY, f"{name} ships {relative}"
            assert _digest(path) not in local_files, f"{name} ships a copy of local/: {relative}"
            if path.suffix == ".py":
                assert not imported_roots(path) & DEV_ONLY, f"{name}: {relative} imports dev code"


def test_the_bundle_requirements_leave_out_the_emulator():
    lines = (FUNCTIONS / "requirements.txt").read_text().splitlines()
    packages = {line.split("==")[0].split("[")[0].strip().lower() for line in lines
                if line.strip() and not line.startswith("#")}
    assert packages and not packages & {"moto", "werkzeug", "flask", "boto3-stubs"}
