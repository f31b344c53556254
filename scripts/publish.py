"""Publish the built site (``make upload``).

    python scripts/publish.py --output output [--private private/katalog.json]
                              [--stack warung] [--delete] [--dry-run]

1. ``output/`` to the site bucket: only new or changed files (MD5 against
   the S3 ETag), each with its Content-Type (the same table as the local
   run, ``sitefiles``) and Cache-Control: HTML and data short, photos
   under /gambar/ (content-hashed names) a year and immutable, the theme's
   files a week (their names are not hashed). ``--delete`` also removes
   objects that are no longer in output/.
2. The private catalog (with seller emails) to the catalog bucket as
   ``katalog.json``, after the site, so the functions never price against a
   catalog the pages do not show yet.
3. A CloudFront invalidation of what changed (``/*`` past 15 paths).

Names come from options, else the environment (``SITE_BUCKET``,
``CATALOG_BUCKET``, ``DISTRIBUTION_ID``), else the outputs of the
CloudFormation stack (``--stack``, default ``$WARUNG_STACK`` or ``warung``).
``--dry-run`` only reads (stack outputs, bucket listing) and prints the plan.
"""

import argparse
import hashlib
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitefiles import content_type  # noqa: E402  (one table of types, local and S3)

HTML_CACHE = "public, max-age=300"
DATA_CACHE = "public, max-age=300"
IMAGE_CACHE = "public, max-age=31536000, immutable"
THEME_CACHE = "public, max-age=604800"
CATALOG_KEY = "katalog.json"
MAX_INVALIDATION_PATHS = 15

STACK_OUTPUTS = {"site_bucket": "SiteBucketName", "catalog_bucket": "CatalogBucketName",
                 "distribution": "DistributionId"}
ENV_NAMES = {"site_bucket": "SITE_BUCKET", "catalog_bucket": "CATALOG_BUCKET",
             "distribution": "DISTRIBUTION_ID"}


@dataclass(frozen=True)
class Upload:
    key: str
    path: Path
    content_type: str
    cache_control: str
    md5: str


def cache_control(key: str) -> str:
    if key.startswith("gambar/"):
        return IMAGE_CACHE
    if key.startswith("theme/"):
        return THEME_CACHE
    if key.endswith((".html", ".htm")):
        return HTML_CACHE
    return DATA_CACHE


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def local_files(output: Path) -> dict:
    """{S3 key: path} of every file under ``output`` (no dotfiles)."""
    found = {}
    for path in sorted(output.rglob("*")):
        key = path.relative_to(output).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in key.split("/")):
            found[key] = path
    return found


def plan(output: Path, remote: dict) -> tuple[list[Upload], list[str]]:
    """(uploads of new or changed files, remote keys no longer in output).

    ``remote`` is {key: ETag without quotes}.
    """
    files = local_files(output)
    uploads = []
    for key, path in files.items():
        md5 = _md5(path)
        if remote.get(key) != md5:
            uploads.append(Upload(key, path, content_type(path.name), cache_control(key), md5))
    stale = sorted(set(remote) - set(files))
    return uploads, stale


def invalidation_paths(keys) -> list[str]:
    """The URL paths to invalidate for changed ``keys``: a page's folder URL
    too (``toko/x/index.html`` is served as ``/toko/x/``); ``/*`` when many."""
    paths = set()
    for key in keys:
        paths.add("/" + key)
        if key == "index.html" or key.endswith("/index.html"):
            paths.add("/" + key[: -len("index.html")])
    if not paths:
        return []
    if len(paths) > MAX_INVALIDATION_PATHS:
        return ["/*"]
    return sorted(paths)


def _session(region: str | None):
    import boto3

    return boto3.session.Session(region_name=region)


def stack_outputs(session, stack: str) -> dict:
    described = session.client("cloudformation").describe_stacks(StackName=stack)
    outputs = described["Stacks"][0].get("Outputs", [])
    return {o["OutputKey"]: o["OutputValue"] for o in outputs}


def resolve_targets(args, session) -> dict:
    """site_bucket, catalog_bucket, distribution: options, env, then stack outputs."""
    targets = {name: getattr(args, name) or os.environ.get(env) or None
               for name, env in ENV_NAMES.items()}
    if not all(targets.values()):
        outputs = stack_outputs(session, args.stack)
        for name, output in STACK_OUTPUTS.items():
            targets[name] = targets[name] or outputs.get(output)
    missing = [ENV_NAMES[name] for name, value in targets.items() if not value]
    if missing:
        raise SystemExit(f"publish: unknown {', '.join(missing)} (set them, or deploy the "
                         f"stack {args.stack!r} first)")
    return targets


def remote_etags(s3, bucket: str) -> dict:
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["ETag"].strip('"')
    return found


def upload(s3, bucket: str, item: Upload) -> None:
    with item.path.open("rb") as body:
        s3.put_object(Bucket=bucket, Key=item.key, Body=body, ContentType=item.content_type,
                      CacheControl=item.cache_control, ContentMD5=_b64(item.md5))


def _b64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--private", type=Path, default=Path("private/katalog.json"))
    parser.add_argument("--stack", default=os.environ.get("WARUNG_STACK", "warung"))
    parser.add_argument("--region", default=None)
    parser.add_argument("--site-bucket", dest="site_bucket")
    parser.add_argument("--catalog-bucket", dest="catalog_bucket")
    parser.add_argument("--distribution")
    parser.add_argument("--delete", action="store_true",
                        help="remove objects that are no longer in output/")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not (args.output / "index.html").is_file():
        print(f"publish: {args.output}/index.html is missing; build first (make publish)",
              file=sys.stderr)
        return 2
    if not args.private.is_file():
        print(f"publish: {args.private} is missing; build first (make publish)", file=sys.stderr)
        return 2
    session = _session(args.region)
    targets = resolve_targets(args, session)
    s3 = session.client("s3")
    site = targets["site_bucket"]
    try:
        remote = remote_etags(s3, site)
    except Exception as err:  # a dry run may have no access yet: plan a full upload
        if not args.dry_run:
            raise
        print(f"(cannot list s3://{site}: {err}; planning a full upload)")
        remote = {}
    uploads, stale = plan(args.output, remote)
    deletes = stale if args.delete else []
    paths = invalidation_paths([u.key for u in uploads] + deletes)
    prefix = "would " if args.dry_run else ""

    for item in uploads:
        print(f"{prefix}upload s3://{site}/{item.key} ({item.content_type}; {item.cache_control})")
    for key in deletes:
        print(f"{prefix}delete s3://{site}/{key}")
    print(f"{prefix}upload s3://{targets['catalog_bucket']}/{CATALOG_KEY} (private catalog)")
    if paths:
        print(f"{prefix}invalidate {targets['distribution']}: {' '.join(paths)}")
    if args.dry_run:
        return 0

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda item: upload(s3, site, item), uploads))
    for start in range(0, len(deletes), 1000):
        s3.delete_objects(Bucket=site, Delete={
            "Objects": [{"Key": key} for key in deletes[start:start + 1000]], "Quiet": True})
    s3.put_object(Bucket=targets["catalog_bucket"], Key=CATALOG_KEY,
                  Body=args.private.read_bytes(), ContentType="application/json",
                  CacheControl="no-cache")
    if paths:
        session.client("cloudfront").create_invalidation(
            DistributionId=targets["distribution"],
            InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths},
                               "CallerReference": f"publish-{uuid.uuid4()}"})
    print(f"published: {len(uploads)} uploaded, {len(deletes)} deleted, "
          f"{len(local_files(args.output)) - len(uploads)} unchanged "
          f"({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
