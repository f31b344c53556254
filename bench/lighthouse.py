"""Lighthouse scores of the built site: home, a category page, a product page.

    python bench/lighthouse.py --output output [--runs 1] [--report-dir DIR]
                               [--extra /keranjang/ /cari/ ...] [--check]

Installs Lighthouse 12.2.3 with npm into .tools/lighthouse when missing,
serves the built folder on a free local port (gzip like the CDN does), and
runs Lighthouse with its defaults for mobile (Moto G Power emulation,
simulated slow 4G throttling), categories performance and accessibility,
in Debian's chromium (CHROME_PATH=/usr/bin/chromium; it never downloads a
browser). Prints scores, the main metrics and the page weight by type, and
lists every accessibility audit that fails (with the offending elements) so
they can be fixed in the theme. The JSON reports are kept in --report-dir
(default test-results/lighthouse/).

Budgets (DESIGN.md): performance >= 95, accessibility 100. They are
reported, not enforced: the exit status is non-zero only when Lighthouse
itself fails to run (or with --check when a budget is missed).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitefiles import serve_directory  # noqa: E402  (index.html, 404.html, gzip like the CDN)

VERSION = "12.2.3"
TOOLS = ROOT / ".tools" / "lighthouse"
CLI = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
PERFORMANCE_BUDGET, ACCESSIBILITY_BUDGET = 95, 100
METRICS = [("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"),
           ("total-blocking-time", "TBT"), ("cumulative-layout-shift", "CLS"), ("speed-index", "SI")]


def ensure_lighthouse() -> Path:
    if not CLI.is_file():
        npm = shutil.which("npm")
        if not npm:
            raise SystemExit("npm not found: install Node.js 18+ to run Lighthouse")
        print(f"Installing lighthouse@{VERSION} into {TOOLS.relative_to(ROOT)} ...", flush=True)
        subprocess.run([npm, "install", "--prefix", str(TOOLS), f"lighthouse@{VERSION}",
                        "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    return CLI


def pick_pages(output: Path) -> list[tuple[str, str]]:
    """Home, the biggest category's first page, and a product with variants and photos."""
    catalog = json.loads((output / "katalog.json").read_text(encoding="utf-8"))
    products = catalog["products"]
    by_category = {}
    for product in products:
        by_category.setdefault(product["category_url"], []).append(product)
    category_url = max(by_category, key=lambda url: len(by_category[url]))
    orderable = [p for p in products if p["stock"] == "tersedia"]
    product = next((p for p in orderable if p["variants"]), orderable[0] if orderable else products[0])
    return [("home", "/"), ("category", category_url), ("product", product["url"])]


def run_lighthouse(cli: Path, url: str, report: Path) -> dict:
    command = ["node", str(cli), url, "--output=json", f"--output-path={report}",
               "--only-categories=performance,accessibility", "--form-factor=mobile",
               f"--chrome-flags={CHROME_FLAGS}", "--quiet"]
    env = {**os.environ, "CHROME_PATH": CHROME}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url} ({result.returncode}):\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error on {url}: {data['runtimeError']}")
    return data


def score(data, category):
    value = data["categories"][category]["score"]
    return None if value is None else round(value * 100)


def weights(data) -> dict:
    """Transferred bytes by resource type, from the network-requests audit."""
    totals = {}
    for item in data["audits"].get("network-requests", {}).get("details", {}).get("items", []):
        kind = (item.get("resourceType") or "Other").lower()
        totals[kind] = totals.get(kind, 0) + int(item.get("transferSize") or 0)
    totals["total"] = sum(totals.values())
    return totals


def failed_accessibility(data) -> list[tuple[str, str, list[str]]]:
    failures = []
    for ref in data["categories"]["accessibility"]["auditRefs"]:
        audit = data["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])
            where = [(i.get("node") or {}).get("snippet") or (i.get("node") or {}).get("selector") or ""
                     for i in items][:5]
            failures.append((ref["id"], audit.get("title", ""), where))
    return failures


def kb(n):
    return f"{n / 1024:.1f}"


def print_table(rows: list, problems: dict, report_dir: Path) -> bool:
    """The scores and weights per page, and any accessibility failure; True
    when every page keeps the budgets."""
    print()
    print(f"Lighthouse {VERSION}, mobile, default (simulated) throttling; reports in {report_dir}")
    w = max(9, *(len(row[0]) for row in rows))
    print(f"{'page':{w}} {'perf':>5} {'a11y':>5}  {'FCP':>7} {'LCP':>7} {'TBT':>7} {'CLS':>6}  "
          f"{'HTML KB':>7} {'CSS KB':>6} {'JS KB':>6} {'img KB':>6} {'total KB':>8}  path")
    budgets_ok = True
    for name, path, perf, a11y, metrics, weight in rows:
        budgets_ok &= (perf or 0) >= PERFORMANCE_BUDGET and (a11y or 0) >= ACCESSIBILITY_BUDGET
        print(f"{name:{w}} {perf!s:>5} {a11y!s:>5}  {metrics.get('FCP', '-'):>7} {metrics.get('LCP', '-'):>7} "
              f"{metrics.get('TBT', '-'):>7} {metrics.get('CLS', '-'):>6}  "
              f"{kb(weight.get('document', 0)):>7} {kb(weight.get('stylesheet', 0)):>6} "
              f"{kb(weight.get('script', 0)):>6} {kb(weight.get('image', 0)):>6} {kb(weight['total']):>8}  {path}")
    print(f"(budgets: performance >= {PERFORMANCE_BUDGET}, accessibility {ACCESSIBILITY_BUDGET}; "
          "transfer sizes gzip-compressed)")
    for name, failures in problems.items():
        for audit_id, title, where in failures:
            print(f"  accessibility failure on {name}: {audit_id} ({title})")
            for snippet in where:
                print(f"      {snippet[:160]}")
    if not any(problems.values()):
        print("  no failing accessibility audits")
    return budgets_ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "output", help="the built site folder")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median score is shown)")
    parser.add_argument("--report-dir", type=Path, default=ROOT / "test-results" / "lighthouse")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--extra", nargs="*", default=[], metavar="PATH",
                        help="more site paths to audit, e.g. /keranjang/ /cari/ /daftar/")
    args = parser.parse_args(argv)

    output = args.output.resolve()
    if not (output / "index.html").is_file():
        print(f"{output} has no index.html: build first (make html)", file=sys.stderr)
        return 2
    if not Path(CHROME).exists():
        print(f"chromium not found at {CHROME} (make chromium)", file=sys.stderr)
        return 2
    cli = ensure_lighthouse()
    args.report_dir.mkdir(parents=True, exist_ok=True)
    server, base = serve_directory(output, cache_control="public, max-age=300")
    rows, problems = [], {}
    try:
        pages = pick_pages(output) + [(p.strip("/").replace("/", "-") or "home", p) for p in args.extra]
        for name, path in pages:
            runs = []
            for n in range(args.runs):
                report = args.report_dir / f"{name}-{n + 1}.json"
                print(f"Lighthouse {name}: {base}{path} (run {n + 1}/{args.runs}) ...", flush=True)
                runs.append(run_lighthouse(cli, base + path, report))
            runs.sort(key=lambda d: score(d, "performance") or 0)
            data = runs[len(runs) // 2]
            metrics = {label: data["audits"][key]["displayValue"] for key, label in METRICS
                       if key in data["audits"]}
            rows.append((name, path, score(data, "performance"), score(data, "accessibility"),
                         metrics, weights(data)))
            problems[name] = failed_accessibility(data)
    except (RuntimeError, subprocess.TimeoutExpired) as err:
        print(f"LIGHTHOUSE FAILED: {err}", file=sys.stderr)
        return 3
    finally:
        server.shutdown()

    budgets_ok = print_table(rows, problems, args.report_dir)
    return 1 if args.check and not budgets_ok else 0


if __name__ == "__main__":
    sys.exit(main())
