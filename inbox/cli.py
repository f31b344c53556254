"""The staff commands (Makefile: inbox, lihat, terima, tolak).

    python -m inbox.cli [--url http://127.0.0.1:8000 | --stack NAME] list
    python -m inbox.cli ... lihat REF
    python -m inbox.cli ... terima REF [--repo .]
    python -m inbox.cli ... tolak REF ALASAN
"""

import argparse
import sys
from pathlib import Path

from warung.text import texts

from inbox import connect, review


def _t(key: str, **values) -> str:
    text = texts()["daftar_petugas"][key]
    return text.format(**values) if values else text


def cmd_list(args) -> int:
    rows = review.pending()
    if not rows:
        print(_t("kosong"))
        return 0
    print(_t("kolom", **dict(zip(("ref", "date", "shop", "kind", "result"), _t("kolom_judul")))))
    for row in rows:
        print(_t("kolom", **row))
    return 0


def cmd_lihat(args) -> int:
    shown = review.show(args.ref, Path(args.save))
    print(shown)
    return 0


def cmd_terima(args) -> int:
    ok, message = review.accept(args.ref, Path(args.repo))
    print(message)
    return 0 if ok else 1


def cmd_tolak(args) -> int:
    if not args.alasan.strip():
        print(_t("alasan_wajib", ref=args.ref))
        return 2
    ok, message = review.decline(args.ref, args.alasan)
    print(message)
    return 0 if ok else 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m inbox.cli")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--stack", default="")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list").set_defaults(run=cmd_list)
    lihat = sub.add_parser("lihat")
    lihat.add_argument("ref")
    lihat.add_argument("--save", default="kiriman")
    lihat.set_defaults(run=cmd_lihat)
    terima = sub.add_parser("terima")
    terima.add_argument("ref")
    terima.add_argument("--repo", default=".")
    terima.set_defaults(run=cmd_terima)
    tolak = sub.add_parser("tolak")
    tolak.add_argument("ref")
    tolak.add_argument("alasan")
    tolak.set_defaults(run=cmd_tolak)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        connect.stack(args.stack) if args.stack else connect.local(args.url)
    except connect.NotRunning:
        print(_t("serve_mati", url=args.url), file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except review.NotFound as missing:
        print(_t("tidak_ada", ref=missing), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
