"""``--autoreload``: rebuild the site when sellers' content or the theme change.

Every second the watcher takes a snapshot (path, mtime, size) of content/,
theme/, plugins/ and the settings file; when it differs it runs the same
Pelican build as ``make html`` in a subprocess, then uploads the new private
catalog to the (emulated) S3 bucket and drops the functions' warm catalog,
as ``make upload`` does in production.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

WATCHED = ("content", "theme", "plugins")
SKIPPED_DIRS = {"__pycache__", ".git", ".cache"}


def snapshot(paths) -> dict:
    """{file path: (mtime_ns, size)} of every file under ``paths``."""
    found = {}
    for root in paths:
        root = Path(root)
        if root.is_file():
            stat = root.stat()
            found[str(root)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:  # removed while walking
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def pelican_command(content: Path, output: Path, settings: Path, private: Path) -> list[str]:
    """The ``make html`` build, writing the private catalog to ``private``."""
    return [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(settings),
            "-e", "WARUNG=" + json.dumps({"PRIVATE_CATALOG": str(private)})]


def _t(key: str, **values) -> str:
    from warung.text import texts

    return texts()["lokal"][key].format(**values)


class Watcher:
    def __init__(self, *, content: Path, settings: Path, output: Path, private: Path,
                 interval: float = 1.0):
        self.content, self.settings = Path(content), Path(settings)
        self.output, self.private = Path(output), Path(private)
        self.interval = interval
        self.watched = [self.content, *(Path(p) for p in WATCHED[1:]), self.settings]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="autoreload", daemon=True)

    def rebuild(self) -> bool:
        from backend import catalog
        from local.resources import upload_catalog

        print(_t("membangun_ulang"), flush=True)
        started = time.monotonic()
        result = subprocess.run(pelican_command(self.content, self.output, self.settings,
                                                self.private))
        if result.returncode != 0:
            print(_t("bangun_ulang_gagal"), flush=True)
            return False
        upload_catalog(self.private)
        catalog.reset()
        print(_t("bangun_ulang_selesai", detik=f"{time.monotonic() - started:.1f}"), flush=True)
        return True

    def _run(self) -> None:
        seen = snapshot(self.watched)
        while not self._stop.wait(self.interval):
            now = snapshot(self.watched)
            if now != seen:
                seen = now
                try:
                    self.rebuild()
                except Exception as err:  # keep serving the last good build
                    print(f"{_t('bangun_ulang_gagal')} ({err})", flush=True)

    def start(self) -> "Watcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
