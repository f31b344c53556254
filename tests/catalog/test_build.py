"""The real ``pelican`` CLI with the plugin, on small content trees and the
tiny test theme: clean failures, caching, and re-rendering only what changed."""

import json
import re

import pytest
from PIL import Image

from .helpers import SHOP, make_shop, product, run_pelican, write_md


@pytest.fixture
def small_site(content):
    """Two shops, four products over two categories."""
    make_shop(content / "shops", products={
        "arabika": product("Kopi Arabika", "45000", "Minuman", "images/arabika.jpg"),
        "robusta": product("Kopi Robusta", "40000", "Minuman", "images/robusta.jpg"),
    })
    make_shop(content / "shops", folder="keripik-bu-ani",
              shop={**SHOP, "Title": "Keripik Bu Ani", "Kecamatan": "Plered"},
              products={
                  "singkong": product("Keripik Singkong", "15.000", "Makanan", "images/singkong.jpg"),
                  "pisang": product("Keripik Pisang", "Rp12.000", "Makanan", "images/pisang.jpg"),
              })
    return content


def stamps(output):
    """Output file -> (inode, modification time): changes when a file is written again."""
    return {p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in output.rglob("*") if p.is_file()}


def test_broken_content_fails_cleanly_with_every_message(content, tmp_path):
    make_shop(content / "shops", shop={**SHOP, "WhatsApp": "12345"},
              products={"arabika": product(price="empat puluh ribu")})
    (content / "shops" / "kopi-wanayasa" / "kosong.md").write_text("")
    result = run_pelican(content, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in log
    assert ("content/shops/kopi-wanayasa/arabika.md, baris 2 (Price): Harga 'empat puluh ribu' "
            "bukan angka rupiah bulat. Tulis misalnya: Price: 45000") in log
    assert "content/shops/kopi-wanayasa/shop.md, baris 2 (WhatsApp): Nomor WhatsApp '12345'" in log
    assert "content/shops/kopi-wanayasa/kosong.md: File kosong." in log
    assert "Pemeriksaan gagal: 3 kesalahan" in log
    assert not (tmp_path / "site" / "output" / "katalog.json").exists()
    assert not (tmp_path / "site" / "private" / "katalog.json").exists()


def test_unreadable_photo_found_only_when_decoding_fails_the_build_cleanly(content, tmp_path):
    # Enough photos to be processed by workers while the build goes on.
    base = make_shop(content / "shops", products={
        "arabika": product(), **{f"kopi-{n}": product(f"Kopi {n}", image=f"images/kopi-{n}.jpg")
                                 for n in range(4)}})
    photo = base / "images" / "arabika.jpg"
    Image.effect_noise((1200, 900), 60).convert("RGB").save(photo, quality=95)
    photo.write_bytes(photo.read_bytes()[:100_000])  # header kept, pixels cut off
    result = run_pelican(content, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "Traceback" not in log
    assert "content/shops/kopi-wanayasa/images/arabika.jpg: Foto 'arabika.jpg' rusak" in log
    # The photos are processed while the build goes on: still, no catalog page is written.
    assert not (tmp_path / "site" / "output" / "katalog.json").exists()
    assert not (tmp_path / "site" / "output" / "toko").exists()


def test_private_catalog_inside_output_is_refused(small_site, tmp_path):
    site = tmp_path / "site"
    result = run_pelican(small_site, site, PRIVATE_CATALOG=str(site / "output" / "x.json"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert not (site / "output" / "x.json").exists()


def test_second_build_decodes_no_photo_and_writes_no_page(small_site, tmp_path):
    site = tmp_path / "site"
    first = run_pelican(small_site, site)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Gambar: 4 diproses, 0 dari cache" in first.stdout
    before = stamps(site / "output")
    second = run_pelican(small_site, site)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Gambar: 0 diproses, 4 dari cache" in second.stdout
    assert re.search(r"Halaman katalog: 0 ditulis, 0 hanya diganti kode build, \d+ tidak berubah",
                     second.stdout)
    assert stamps(site / "output") == before


def test_a_new_output_folder_reuses_the_photo_cache(small_site, tmp_path):
    assert run_pelican(small_site, tmp_path / "a", IMAGE_CACHE=str(tmp_path / "c")).returncode == 0
    result = run_pelican(small_site, tmp_path / "b", IMAGE_CACHE=str(tmp_path / "c"))
    assert "Gambar: 0 diproses" in result.stdout
    assert len(list((tmp_path / "b" / "output" / "gambar").rglob("*.webp"))) > 0


def test_one_product_edit_rerenders_only_its_pages(small_site, tmp_path):
    site, output = tmp_path / "site", tmp_path / "site" / "output"
    assert run_pelican(small_site, site).returncode == 0
    before = stamps(output)
    write_md(small_site / "shops" / "kopi-wanayasa" / "robusta.md",
             product("Kopi Robusta", "41000", "Minuman", "images/robusta.jpg"))
    result = run_pelican(small_site, site)
    assert result.returncode == 0, result.stdout + result.stderr
    after = stamps(output)
    changed = sorted(name for name in after if before.get(name) != after[name])
    expected = {
        "toko/kopi-wanayasa/robusta/index.html",  # the product
        "toko/kopi-wanayasa/index.html",  # its shop's listing
        "kategori/minuman/index.html",  # its category's listing
        "index.html",  # the home page's "newest"
        "keranjang/index.html",  # the tiny theme's cart shows the build id
        "katalog.json", "cari/indeks.json",
    }
    assert set(changed) == expected
    assert "Rp41.000" in (output / "toko/kopi-wanayasa/robusta/index.html").read_text()
    catalog = json.loads((output / "katalog.json").read_text())
    assert {p["id"]: p["price"] for p in catalog["products"]}["kopi-wanayasa/robusta"] == 41000
    # The cart shows the build id: its new value is swapped in without rendering.
    assert "Halaman katalog: 4 ditulis, 1 hanya diganti kode build" in result.stdout
    assert f'data-build="{catalog["build"]}"' in (output / "keranjang/index.html").read_text()


def test_removed_product_disappears_from_the_output(small_site, tmp_path):
    site, output = tmp_path / "site", tmp_path / "site" / "output"
    assert run_pelican(small_site, site).returncode == 0
    assert (output / "toko/keripik-bu-ani/pisang/index.html").exists()
    (small_site / "shops" / "keripik-bu-ani" / "pisang.md").unlink()
    (small_site / "shops" / "keripik-bu-ani" / "images" / "pisang.jpg").unlink()
    assert run_pelican(small_site, site).returncode == 0
    assert not (output / "toko/keripik-bu-ani/pisang/index.html").exists()
    assert not list((output / "gambar" / "keripik-bu-ani").glob("pisang-*"))
    assert list((output / "gambar" / "keripik-bu-ani").iterdir())  # the other photos stay
    assert "pisang" not in (output / "katalog.json").read_text()


def test_category_pagination(content, tmp_path):
    products = {f"p{n:02d}": product(f"Produk {n:02d}", str(1000 + n), "Makanan",
                                     "images/sama.jpg") for n in range(5)}
    make_shop(content / "shops", products=products)
    site, output = tmp_path / "site", tmp_path / "site" / "output"
    assert run_pelican(content, site, PER_PAGE=2).returncode == 0
    pages = [output / "kategori/makanan/index.html", output / "kategori/makanan/2/index.html",
             output / "kategori/makanan/3/index.html"]
    assert all(p.exists() for p in pages)
    assert not (output / "kategori/makanan/4/index.html").exists()
    first, middle, last = (p.read_text() for p in pages)
    assert 'rel="next" href="/kategori/makanan/2/"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="/kategori/makanan/"' in middle
    assert 'rel="next" href="/kategori/makanan/3/"' in middle
    assert "Produk 04" in last and 'rel="next"' not in last and "<p>3/3</p>" in last


def test_seller_text_is_escaped_in_pages(content, tmp_path):
    make_shop(content / "shops", products={
        "arabika": product("Kopi <script>alert(1)</script>", "45000")})
    site = tmp_path / "site"
    assert run_pelican(content, site).returncode == 0
    html = (site / "output" / "toko/kopi-wanayasa/arabika/index.html").read_text()
    assert "<script>alert" not in html
    assert "Kopi &lt;script&gt;alert(1)&lt;/script&gt;" in html


def build_in_process(content, destination, parallel: bool, monkeypatch):
    """Pelican in this process, with the parallel paths forced on or off."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from warung_catalog import content as content_module
    from warung_catalog import rendering

    from .helpers import ROOT, TINY_THEME
    threshold = 1 if parallel else 10**9
    monkeypatch.setattr(rendering, "PARALLEL_FROM", threshold)
    monkeypatch.setattr(content_module, "PARALLEL_FOLDERS_FROM", threshold)
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(destination / "output"),
        "THEME": str(TINY_THEME),
        "WARUNG": {"PRIVATE_CATALOG": str(destination / "private.json"),
                   "IMAGE_CACHE": str(destination / "cache" / "images")}})
    Pelican(settings).run()
    output = destination / "output"
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in output.rglob("*") if p.is_file()}


def test_parallel_build_makes_the_same_site_as_a_serial_one(small_site, tmp_path, monkeypatch):
    serial = build_in_process(small_site, tmp_path / "serial", False, monkeypatch)
    parallel = build_in_process(small_site, tmp_path / "parallel", True, monkeypatch)
    assert len(serial) > 20
    assert parallel == serial


def test_an_incremental_build_after_an_edit_equals_a_full_build(tmp_path):
    """The sample catalog with the real theme: build, edit one product, build
    again over the same output and caches; a fresh full build of the edited
    content gives the very same bytes, file for file."""
    import shutil

    from tests.fixtures.site import ROOT, build_site
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    incremental = tmp_path / "incremental"
    caches = {"IMAGE_CACHE": str(incremental / "cache" / "images")}
    assert build_site(content, incremental, **caches).returncode == 0
    edited = next(p for p in sorted((content / "shops").glob("*/*.md")) if p.name != "shop.md")
    text = edited.read_text(encoding="utf-8")
    price = re.search(r"(?mi)^price:\s*(.+)$", text)
    edited.write_text(text.replace(price[0], "Price: 98765", 1), encoding="utf-8")
    result = build_site(content, incremental, **caches)
    assert result.returncode == 0, result.stdout + result.stderr
    # Only what shows the product is rendered again: its page, its shop's and
    # its category's listings and the home page ("newest"); a template that
    # made every page depend on everything would render them all.
    written = re.search(r"Halaman katalog: (\d+) ditulis", result.stdout)
    assert written and int(written[1]) <= 4, result.stdout
    full = tmp_path / "full"
    assert build_site(content, full, IMAGE_CACHE=str(full / "cache" / "images")).returncode == 0

    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in root.rglob("*") if p.is_file()}

    built, fresh = files(incremental / "output"), files(full / "output")
    assert sorted(built) == sorted(fresh)
    assert [name for name in fresh if built[name] != fresh[name]] == []
    assert b"98.765" in b"".join(built.values())
    assert files(incremental / "private") == files(full / "private")


def test_make_html_skips_a_build_when_nothing_changed(small_site, tmp_path):
    """`python -m warung_catalog.build` (what `make html` runs): an unchanged
    tree is not built again; an edit, or a deleted output, is."""
    site = tmp_path / "site"
    first = run_pelican(small_site, site, module="warung_catalog.build")
    assert first.returncode == 0, first.stdout + first.stderr
    output = site / "output"
    before = stamps(output)
    again = run_pelican(small_site, site, module="warung_catalog.build")
    assert again.returncode == 0
    assert "semua tidak berubah" in again.stdout and "Done" not in again.stdout + again.stderr
    assert stamps(output) == before
    write_md(small_site / "shops" / "kopi-wanayasa" / "arabika.md",
             product("Kopi Arabika", "47000", "Minuman", "images/arabika.jpg"))
    edited = run_pelican(small_site, site, module="warung_catalog.build")
    assert "semua tidak berubah" not in edited.stdout
    assert "Rp47.000" in (output / "toko/kopi-wanayasa/arabika/index.html").read_text()
    (output / "index.html").unlink()
    assert run_pelican(small_site, site, module="warung_catalog.build").returncode == 0
    assert (output / "index.html").exists()


def test_make_html_fails_like_pelican_on_broken_content(content, tmp_path):
    make_shop(content / "shops", products={"arabika": product(price="murah")})
    result = run_pelican(content, tmp_path / "site", module="warung_catalog.build")
    assert result.returncode == 1
    assert "arabika.md" in result.stdout + result.stderr
    again = run_pelican(content, tmp_path / "site", module="warung_catalog.build")
    assert again.returncode == 1  # a failed build is never skipped


def test_posters_follow_their_shop_through_rebuilds(small_site, tmp_path):
    """Every shop gets its poster from the build's own catalog; a rebuild
    writes again only the poster of the shop that changed."""
    site, output = tmp_path / "site", tmp_path / "site" / "output"
    assert run_pelican(small_site, site).returncode == 0
    kopi, keripik = (output / "toko" / shop / "poster" / "index.html"
                     for shop in ("kopi-wanayasa", "keripik-bu-ani"))
    assert "Keripik Bu Ani" in keripik.read_text() and kopi.is_file()
    before = stamps(output)
    shop_file = small_site / "shops" / "keripik-bu-ani" / "shop.md"
    shop_file.write_text(shop_file.read_text().replace("Keripik Bu Ani", "Keripik Ibu Ani"))
    assert run_pelican(small_site, site).returncode == 0
    after = stamps(output)
    assert "Keripik Ibu Ani" in keripik.read_text()
    assert after["toko/kopi-wanayasa/poster/index.html"] == before["toko/kopi-wanayasa/poster/index.html"]
    assert after["toko/keripik-bu-ani/poster/index.html"] != before["toko/keripik-bu-ani/poster/index.html"]


def test_make_html_reads_the_shop_folders_it_started_reading_before_pelican(
        small_site, tmp_path, monkeypatch):
    """``make html`` (build.main) starts reading before Pelican starts up, and
    the catalog generator takes that reading: the tree is read once."""
    from warung_catalog import build
    from warung_catalog import content as content_module

    from .helpers import ROOT, TINY_THEME
    monkeypatch.setattr(content_module, "PARALLEL_FOLDERS_FROM", 1)  # on every core
    loadings, finished = [], []
    real_init, real_finish = content_module.Loading.__init__, content_module.Loading.finish
    monkeypatch.setattr(content_module.Loading, "__init__",
                        lambda self, *a: loadings.append(self) or real_init(self, *a))
    monkeypatch.setattr(content_module.Loading, "finish",
                        lambda self: finished.append(self) or real_finish(self))
    started, real_start = [], content_module.start_loading
    monkeypatch.setattr(content_module, "start_loading",
                        lambda *a: real_start(*a) or started.append(content_module._started))
    warung = {"PRIVATE_CATALOG": str(tmp_path / "private.json"),
              "IMAGE_CACHE": str(tmp_path / "cache" / "images")}
    monkeypatch.chdir(ROOT)
    code = build.main([str(small_site), "-o", str(tmp_path / "output"), "-s", "pelicanconf.py",
                       "-e", f"WARUNG={json.dumps(warung)}",
                       f"THEME={json.dumps(str(TINY_THEME))}"])
    assert code == 0
    assert len(started) == 1 and loadings == finished == started  # started once, taken
    assert loadings[0].reading is not None  # and read on every core
    assert (tmp_path / "output" / "katalog.json").is_file()
