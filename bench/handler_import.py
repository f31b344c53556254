"""Cold import time of each Lambda handler module (DESIGN.md budget: the
order function imports in <= 300 ms cold).

Each measurement is a fresh interpreter importing one handler module, as a
Lambda cold start does (interpreter start-up itself is not counted); the
median of --runs is printed. Prints numbers only: nothing here is a test.

    python bench/handler_import.py [--runs 5]
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANDLERS = ["order.handler", "mailer.handler", "search.handler", "sweeper.handler"]
BUDGET_MS = {"order.handler": 300}

PROBE = """
import sys, time
start = time.perf_counter()
import {module}
elapsed = time.perf_counter() - start
heavy = sorted(m for m in ("boto3", "botocore", "jinja2", "pelican") if m in sys.modules)
print(elapsed * 1000, ",".join(heavy))
"""


def measure(module: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "functions"), str(ROOT / "plugins"), str(ROOT)])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode is cached, as in a deployed bundle
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], cwd=ROOT,
                            env=env, capture_output=True, text=True, check=True)
    ms, _, heavy = result.stdout.strip().partition(" ")
    return float(ms), heavy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"handler cold import (median of {args.runs} fresh interpreters)")
    for module in HANDLERS:
        measure(module)  # warm the bytecode cache, as a deployed bundle has it
        times, heavy = [], ""
        for _ in range(args.runs):
            ms, heavy = measure(module)
            times.append(ms)
        median = statistics.median(times)
        budget = BUDGET_MS.get(module)
        verdict = "" if budget is None else (
            f"  (budget {budget} ms: {'ok' if median <= budget else 'OVER'})")
        loaded = f"  loads: {heavy}" if heavy else ""
        print(f"  {module:<16} {median:7.1f} ms  (min {min(times):.1f}, max {max(times):.1f})"
              f"{verdict}{loaded}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
