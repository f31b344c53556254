"""The project's docs stand on their own: nothing points outside the
repository, and every key alias the rules accept is documented."""

import subprocess
from pathlib import Path

import pytest

from warung import keys

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = "../" + "shared"  # spelled in two parts so this file does not match itself


def tracked_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    return [ROOT / name for name in names if name and (ROOT / name).is_file()]


def test_no_tracked_file_links_outside_the_repository():
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if OUTSIDE in text:
            found.append(path.relative_to(ROOT).as_posix())
    assert found == []


@pytest.mark.parametrize("page", ["docs/CONTRACTS.md", "content/pages/daftar.md"])
def test_every_key_and_alias_is_documented(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    for kind in ("shop", "product"):
        for name in keys.written_names(kind):
            assert name in text, f"{page} does not name {name!r}"
