"""`make html`: the Pelican build, skipped when nothing it reads changed.

    python -m warung_catalog.build CONTENT -o OUTPUT -s SETTINGS [pelican options]

Every input of the build is stat-signed (signature.py: path, size, mtime_ns,
inode; no file is read): the content tree, the theme and template overrides,
the settings file, the plugins and the functions' code they use, Pelican itself,
the arguments and ``WARUNG_SITE_URL``. When the signature equals the one the
last successful build into the same output folder saved, and that folder
still holds the build's manifest, nothing is done, without even importing
Pelican (its start-up alone is about a second). Otherwise Pelican runs in
this process exactly as the ``pelican`` CLI does, and the signature taken
before it started is saved once it succeeds (an edit made during a build is
seen by the next one).

The skip trusts ``OUTPUT`` to be as the last build left it: a file deleted
by hand inside it is written again by the next real build (any edit), or
at once after ``make clean``.
"""

import argparse
import gc
import hashlib
import importlib.util
import json
import os
import runpy
import sys
from pathlib import Path
from typing import NamedTuple

from .files import write_atomic
from .settings import cache_dir, merge
from .signature import signed_once, tree_signature

ROOT = Path(__file__).resolve().parents[2]
# Every plugin (the posters' too), the shared core, and what the posters'
# pages take from the functions (the order states and the page layout).
_CODE = (Path(__file__).resolve().parent.parent, ROOT / "functions" / "warung",
         ROOT / "functions" / "lifecycle", ROOT / "functions" / "backend" / "templates",
         ROOT / "functions" / "sellerpage" / "templates")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("path", nargs="?")
    parser.add_argument("-o", "--output")
    parser.add_argument("-s", "--settings")
    parser.add_argument("-t", "--theme-path")
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[])
    return parser.parse_known_args(argv)[0]


def _settings(args: argparse.Namespace) -> dict:
    settings = runpy.run_path(args.settings) if args.settings else {}
    for pair in args.extra_settings:
        key, _, value = pair.partition("=")
        try:
            settings[key] = json.loads(value)
        except ValueError:
            settings[key] = value
    return settings


def _theme(settings: dict, args: argparse.Namespace) -> Path:
    theme = args.theme_path or settings.get("THEME", "")
    base = Path(args.settings).resolve().parent if args.settings else Path.cwd()
    return Path(theme) if os.path.isabs(theme) else base / theme


class Inputs(NamedTuple):
    signature: str  # of everything the build reads
    output: Path  # the output folder
    stamp: Path  # where the signature of the last build into it is kept
    content: Path  # the content folder, as Pelican will find it
    warung: dict  # the project's settings, merged with their defaults


def inputs_signature(argv: list[str]) -> Inputs:
    """Everything the build reads, signed; and where it reads and writes."""
    args = _arguments(argv)
    settings = _settings(args)
    content = Path(args.path or _beside_settings(args, settings.get("PATH", "content")))
    output = Path(args.output or settings.get("OUTPUT_PATH", "output")).resolve()
    pelican = Path(importlib.util.find_spec("pelican").origin).parent
    trees = [content, _theme(settings, args), *map(Path, settings.get(
        "THEME_TEMPLATES_OVERRIDES", [])), *_CODE, pelican]
    signed = [argv, os.getcwd(), sys.executable, os.environ.get("WARUNG_SITE_URL"),
              tree_signature(Path(args.settings)) if args.settings else None,
              [[str(tree), tree_signature(tree)] for tree in trees]]
    digest = hashlib.sha256(json.dumps(signed, default=str).encode()).hexdigest()
    name = hashlib.sha256(str(output).encode()).hexdigest()[:16]
    warung = merge(settings.get("WARUNG"))
    return Inputs(digest, output, cache_dir(warung) / f"built-{name}.json", content, warung)


def _beside_settings(args: argparse.Namespace, path: str) -> str:
    """A relative path from the settings file, as Pelican takes it."""
    if args.settings and not os.path.isabs(path):
        return os.path.join(os.path.dirname(os.path.abspath(args.settings)), path)
    return path


def _output_stamp(output: Path) -> str:
    """The home page's stat: gone or rewritten when the output was touched."""
    return tree_signature(output / "index.html")


def _unchanged(signature: str, output: Path, stamp: Path) -> bool:
    try:
        known = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    output_stamp = _output_stamp(output)
    return known.get("signature") == signature and known.get("output") == output_stamp != ""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The build's heap is mostly the catalog, alive until the build ends: the
    # cyclic collector would only walk it again and again (a third of a
    # one-edit rebuild at 10,000 products). Reference counting frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(argv)
    finally:
        if collecting:
            gc.enable()


def _build(argv: list[str]) -> int:
    with signed_once():  # the build reuses the shop folders' signatures
        inputs = inputs_signature(argv)
        if _unchanged(inputs.signature, inputs.output, inputs.stamp):
            from warung.text import texts
            print(texts()["periksa"]["pages_done"].format(written=0, refreshed=0,
                                                          skipped="semua"))
            return 0
        inputs.stamp.unlink(missing_ok=True)
        from .content import start_loading, stop_started

        # The shop folders are read on every core while Pelican starts up
        # (its imports and settings: a third of a second on one core); the
        # catalog generator takes what they read (content.load).
        start_loading(Path(os.path.abspath(inputs.content)), inputs.warung)  # as Pelican
        try:
            if not _run_pelican(argv):
                return 1
        finally:
            stop_started()  # not taken: the build failed before reading
    write_atomic(inputs.stamp, json.dumps({"signature": inputs.signature,
                                           "output": _output_stamp(inputs.output)}))
    return 0


def _run_pelican(argv: list[str]) -> bool:
    """Pelican's CLI in this process; False when it failed."""
    from pelican import main as pelican_main
    try:
        pelican_main(argv)
    except SystemExit as stop:
        return stop.code in (None, 0)
    return True


if __name__ == "__main__":
    # Off for good: re-enabled, the collector would run at the next allocation
    # (the build's allocations are still counted), and Python walks the
    # whole heap once more when it exits unless it is frozen.
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)
