"""``sitefiles``: static paths, content types and responses of the built site."""

import gzip

import pytest

from sitefiles import OVERRIDES, content_type, resolve, static_response


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "output"
    (root / "toko" / "kopi").mkdir(parents=True)
    (root / "kosong").mkdir()
    (root / "index.html").write_text("home")
    (root / "toko" / "kopi" / "index.html").write_text("kopi")
    (root / "a b.txt").write_text("spasi")
    (tmp_path / "rahasia.json").write_text("{}")
    (root / "tautan").symlink_to(tmp_path / "rahasia.json")
    return root


def test_resolve_files_directories_and_redirects(site):
    assert resolve(site, "/").file == site / "index.html"
    assert resolve(site, "/toko/kopi/").file == site / "toko" / "kopi" / "index.html"
    assert resolve(site, "/toko/kopi").redirect == "/toko/kopi/"
    assert resolve(site, "/a%20b.txt").file == site / "a b.txt"
    assert resolve(site, "/kosong/").file is None  # no listing
    assert resolve(site, "/tidak-ada").file is None
    assert resolve(site, "/index.html/").file is None


@pytest.mark.parametrize("path", [
    "/../rahasia.json", "/toko/../../rahasia.json", "/%2e%2e/rahasia.json",
    "/toko/%2E%2E/%2E%2E/rahasia.json", "/..%2frahasia.json", "/..\\rahasia.json",
    "/tautan", "/index.html%00", "relative",
])
def test_resolve_blocks_escapes(site, path):
    found = resolve(site, path)
    assert found.file is None and found.redirect is None


def test_redirect_is_never_protocol_relative(site):
    assert resolve(site, "//toko/kopi").redirect == "/toko/kopi/"


@pytest.mark.parametrize("name, expected", [
    ("index.html", "text/html; charset=utf-8"),
    ("site.css", "text/css; charset=utf-8"),
    ("cart.js", "text/javascript; charset=utf-8"),
    ("katalog.json", "application/json; charset=utf-8"),
    ("sitemap.xml", "application/xml; charset=utf-8"),
    ("robots.txt", "text/plain; charset=utf-8"),
    ("kopi-320.webp", "image/webp"),
    ("kopi-320.JPG", "image/jpeg"),
    ("logo.svg", "image/svg+xml; charset=utf-8"),
    ("x.unknownext", "application/octet-stream"),
    ("manifest.webmanifest", "application/manifest+json; charset=utf-8"),
    ("favicon.ico", "image/x-icon"),
    ("font.woff2", "font/woff2"),
    ("README.md", "text/markdown; charset=utf-8"),
    ("photo.avif", "image/avif"),
])
def test_content_types(name, expected):
    assert content_type(name) == expected


def test_overrides_win_over_the_builtin_table():
    for suffix, kind in OVERRIDES.items():
        assert content_type("a" + suffix).split(";")[0] == kind


def test_static_response_gzips_text_and_answers_304(site):
    status, headers, body = static_response(site, "/", "gzip, br")
    found = dict(headers)
    assert status == 200 and gzip.decompress(body) == b"home"
    assert found["Content-Encoding"] == "gzip" and found["Vary"] == "Accept-Encoding"
    again = static_response(site, "/", "gzip", if_none_match=found["ETag"])
    assert again[0] == 304 and again[2] == b""
    plain = static_response(site, "/", "")
    assert plain[2] == b"home" and "Content-Encoding" not in dict(plain[1])


def test_static_response_redirects_and_404s(site):
    status, headers, _ = static_response(site, "/toko/kopi?x=1")
    assert status == 301 and dict(headers)["Location"] == "/toko/kopi/?x=1"
    status, _, body = static_response(site, "/tidak-ada", not_found=b"hilang")
    assert status == 404 and body == b"hilang"
    (site / "404.html").write_text("halaman 404")
    status, _, body = static_response(site, "/tidak-ada")
    assert status == 404 and body == b"halaman 404"
