"""``--autoreload``: rebuild the site when sellers' content or the theme change.

The watcher follows content/, theme/, plugins/, functions/warung/ and the settings file
through the kernel's file events (watchfiles; snapshots of path, mtime and
size every second where those are unavailable); on a change it asks a
long-lived builder process (``python -m warung_catalog.devbuild``, the same
Pelican build as ``make html``) for a build, then uploads the new private
catalog to the (emulated) S3 bucket and drops the functions' warm catalog,
as ``make upload`` does in production. The builder keeps the loaded catalog
in memory, so an edit to one product re-reads that shop folder and renders
only the pages it changed. A change outside content/ (theme, plugins, the
shared ``warung`` package, settings) starts a fresh builder, which loads
that code anew.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

WATCHED = ("content", "theme", "plugins", "functions/warung")  # the build's shared code too
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


def builder_command(content: Path, output: Path, settings: Path, private: Path) -> list[str]:
    """The long-lived builder: ``pelican_command``'s build, one per request."""
    command = pelican_command(content, output, settings, private)
    return [command[0], "-m", "warung_catalog.devbuild", *command[3:]]


class Builder:
    """One ``warung_catalog.devbuild`` process; ``build()`` runs one build in it."""

    def __init__(self, command: list[str]):
        from warung_catalog.devbuild import MARK

        self.command, self.mark, self.process = command, MARK, None

    def _answer(self) -> str:
        for line in self.process.stdout:
            if line.startswith(self.mark):
                return line[len(self.mark):].strip()
            if line.strip():
                sys.stdout.write(line)
        return "FAILED"  # the process ended

    def start(self) -> None:
        self.stop()
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        if self._answer() != "READY":
            self.stop()

    def build(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            self.start()
        if self.process is None:
            return False
        try:
            self.process.stdin.write("build\n")
            self.process.stdin.flush()
        except OSError:
            self.stop()
            return False
        return self._answer() == "OK"

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.stdin.close()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None


def _differences(before: dict, after: dict) -> set[str]:
    """Paths added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


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
        self.ready = threading.Event()  # the first build is over; edits are followed
        self._thread = threading.Thread(target=self._run, name="autoreload", daemon=True)
        self.builder = Builder(builder_command(self.content, self.output, self.settings,
                                               self.private))

    def rebuild(self, code_changed: bool = False) -> bool:
        """Build (in a fresh builder when code, theme or settings changed) and
        publish the private catalog to the functions."""
        from backend import catalog
        from local.resources import upload_catalog

        print(_t("membangun_ulang"), flush=True)
        started = time.monotonic()
        if code_changed:
            self.builder.stop()
        if not self.builder.build():
            print(_t("bangun_ulang_gagal"), flush=True)
            return False
        upload_catalog(self.private)
        catalog.reset()
        print(_t("bangun_ulang_selesai", detik=f"{time.monotonic() - started:.1f}"), flush=True)
        return True

    def _code_changed(self, paths) -> bool:
        """Whether any changed path is outside content/ (theme, plugins, settings)."""
        content = os.path.join(os.path.realpath(self.content), "")
        return any(not os.path.join(os.path.realpath(path), "").startswith(content)
                   for path in paths)

    def _changes(self):
        """Sets of changed paths as they happen: the kernel's file events
        (watchfiles, what ``pelican --autoreload`` uses), else snapshots
        every ``interval``. The first set: what changed while the first build
        ran and the watch was being set up (``ready`` is set then)."""
        seen = snapshot(self.watched)
        self.builder.start()  # loads the catalog the first build left, off the edit's path
        self.builder.build()
        try:
            import watchfiles
        except ImportError:  # pragma: no cover - a dependency of Pelican
            watchfiles = None
        if watchfiles is None:
            while True:
                now = snapshot(self.watched)
                self.ready.set()
                if now != seen:
                    yield _differences(seen, now)
                    seen = now
                if self._stop.wait(self.interval):
                    return
        # An empty set each second without events: the first one says the
        # watch is set up, so what changed before it is found by a snapshot.
        for changes in watchfiles.watch(*self.watched, stop_event=self._stop, debounce=30,
                                        step=20, rust_timeout=1000, yield_on_timeout=True,
                                        raise_interrupt=False):
            paths = {path for _, path in changes}
            if not self.ready.is_set():
                paths |= _differences(seen, snapshot(self.watched))
                self.ready.set()
            if paths:
                yield paths

    def _run(self) -> None:
        for paths in self._changes():
            if self._stop.is_set():
                return
            try:
                self.rebuild(self._code_changed(paths))
            except Exception as err:  # keep serving the last good build
                print(f"{_t('bangun_ulang_gagal')} ({err})", flush=True)

    def start(self) -> "Watcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.builder.stop()
