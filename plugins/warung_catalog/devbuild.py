"""`make devserver`'s builder: one long-lived Pelican process, a build per request.

    python -m warung_catalog.devbuild CONTENT -o OUTPUT -s SETTINGS [pelican options]

Reads one line per build from stdin and answers each, once the build is
over, with ``READY`` (started), ``OK`` or ``FAILED`` on a line of its own
after ``MARK`` (Pelican's own messages go to stdout and stderr as usual).

The process imports Pelican and the plugins once and keeps one Pelican
instance, as ``pelican --autoreload`` does; the catalog plugin keeps what
it loaded in memory between builds (the shop folders' results, the render
manifest, the template dependencies, the posters' QR codes), so a rebuild
after editing one product reads that product's shop folder and renders only
the pages whose inputs changed. A change to the theme, the plugins or the
settings needs a new process (local/autoreload.py starts one).
"""

import gc
import logging
import sys

MARK = "\x1ewarung-devbuild "


def _answer(word: str) -> None:
    sys.stdout.write(f"\n{MARK}{word}\n")
    sys.stdout.flush()


def build_once(pelican) -> bool:
    """One Pelican run; False (messages already shown) when it failed."""
    logger = logging.getLogger("pelican")
    try:
        pelican.run()
    except SystemExit as stop:  # ContentInvalid: the problems were shown
        return stop.code in (None, 0)
    except Exception as error:  # noqa: BLE001 - the next edit may fix it
        logger.critical("%s: %s", error.__class__.__name__, error, exc_info=True)
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    from pelican import LOG_HANDLERS, get_instance, init_logging, parse_arguments

    args = parse_arguments(list(sys.argv[1:] if argv is None else argv))
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican",
                 handler=LOG_HANDLERS[args.log_handler],
                 logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level))
    from . import cache, folders

    folders.keep_in_memory()
    cache.keep_in_memory()
    pelican, _ = get_instance(args)
    _answer("READY")
    for _ in sys.stdin:
        gc.disable()  # during a build the collector would only walk the kept catalog
        ok = build_once(pelican)
        _answer("OK" if ok else "FAILED")
        # Between builds, off the edit's path: collect what the build left
        # (an edited shop's old objects are cycles), then keep what stays (the
        # catalog: ~100k objects at 10k products) out of later collections.
        gc.unfreeze()
        gc.enable()
        gc.collect()
        gc.freeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
