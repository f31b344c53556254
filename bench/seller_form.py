"""The seller form's numbers (issue 8's closing note). Prints numbers only.

- time from tapping "Kirim data toko" to the status page (headless Chromium,
  360 px phone, the real local run; photos already uploaded);
- bytes posted to S3 for three 12 MP phone photos (~5 MB each), JavaScript on
  (shrunk on the phone) and off (the originals);
- cold import of the seller function's handler (bench/handler_import.py's probe).

    python bench/seller_form.py [--runs 3]
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from bench.handler_import import measure  # noqa: E402
from local.live import RELAXED_LIMITS, LiveServer  # noqa: E402
from order_load import build_sample  # noqa: E402
from phone_photo import phone_jpeg  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # Debian's, as the tests
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
PHONE = {"width": 360, "height": 640}


def _fill(page, title):
    page.fill("#title", title)
    page.fill("#whatsapp", "0812-7777-8888")
    page.fill("#email", "bench@penjual.example")
    page.select_option("#kecamatan", "Wanayasa")
    page.fill("#product-1-title", "Dodol Nanas")
    page.fill("#product-1-price", "25000")
    page.fill("#product-1-category", "Makanan")


class Uploaded:
    """Bytes that reached the inbox bucket's upload area (moto, over HTTP)."""

    def __init__(self, endpoint: str):
        import boto3

        self.s3 = boto3.client("s3", endpoint_url=endpoint, region_name="ap-southeast-3",
                               aws_access_key_id="local", aws_secret_access_key="local")

    def total(self) -> int:
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket="warung-inbox-private", Prefix="unggah/")
        return sum(o["Size"] for page in pages for o in page.get("Contents", []))


def _submit(page, button: str, uploaded, before: int) -> tuple[float, int]:
    """Tap ``button``; (seconds until the status page, bytes uploaded since ``before``)."""
    start = time.perf_counter()
    page.click(button)
    page.wait_for_url(re.compile(r"/api/daftar/PJ-"))
    elapsed = time.perf_counter() - start
    page.context.close()
    return elapsed, uploaded.total() - before


def run_js(browser, url, photos, n, uploaded):
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    before = uploaded.total()
    page.goto(url + "daftar/")
    _fill(page, f"Bench JS {n}")
    page.set_input_files('input[data-photo="1"]', [str(p) for p in photos])
    page.wait_for_function("document.querySelectorAll('input[name=\"product-1-photo\"]').length == 3",
                           timeout=120_000)
    return _submit(page, "form[data-daftar] button[type=submit]", uploaded, before)


def run_nojs(browser, url, photos, n, uploaded):
    page = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False).new_page()
    before = uploaded.total()
    page.goto(url + "daftar/")
    _fill(page, f"Bench NoJS {n}")
    page.click("form[data-daftar] button[type=submit]")
    page.wait_for_url(re.compile(r"/api/daftar/foto/"))
    for photo in photos:  # one form per photo slot, each a page load
        form = page.locator("form[enctype='multipart/form-data']").first
        form.locator("input[type=file]").set_input_files(str(photo))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    return _submit(page, "button.big", uploaded, before)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        photos = [phone_jpeg(tmp / f"IMG_{i}.jpg") for i in range(3)]
        output, private = build_sample(tmp / "site")
        server = LiveServer(output, private,
                            tmp / "serve.log", env=RELAXED_LIMITS, args=["--quiet"])
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, run in (("JS on", run_js), ("JS off", run_nojs)):
                    times, sizes = [], []
                    for n in range(args.runs):
                        elapsed, size = run(browser, server.url, photos, n,
                                            Uploaded(server.aws_endpoint))
                        times.append(elapsed)
                        sizes.append(size)
                    print(f"{name}: submit -> status page median {statistics.median(times) * 1000:.0f} ms; "
                          f"3 photos uploaded {statistics.median(sizes) / 1e6:.2f} MB "
                          f"(originals {sum(p.stat().st_size for p in photos) / 1e6:.2f} MB)")
                browser.close()
        finally:
            server.stop()
    for module in ("daftar.handler", "order.handler"):  # the order function for comparison
        imports = [measure(module) for _ in range(5)]
        print(f"{module} cold import: median {statistics.median(ms for ms, _ in imports):.1f} ms "
              f"(heavy modules loaded: {imports[0][1] or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
