"""`python -m warung_catalog.check` (what `make check` runs)."""

import os
import subprocess
import sys

from .helpers import ROOT, SHOP, make_shop, product


def check(content, *extra):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        str(ROOT / part) for part in ("functions", "plugins", "."))}
    return subprocess.run([sys.executable, "-m", "warung_catalog.check", str(content), *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_sample_content_passes():
    result = check(ROOT / "content")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("Pemeriksaan selesai: ")
    assert "tidak ada kesalahan" in result.stdout


def test_broken_content_lists_every_problem_and_exits_1(content, tmp_path):
    make_shop(content / "shops", shop={**SHOP, "Kecamatan": "Atlantis"},
              products={"arabika": product(price="empat puluh ribu", Warna="merah")})
    (content / "shops" / "kopi-wanayasa" / "images" / "palsu.jpg").write_text("teks")
    (content / "shops" / "kopi-wanayasa" / "palsu.md").write_text(
        "Title: Palsu\nPrice: 1000\nCategory: Makanan\nImage: images/palsu.jpg\n\nx\n")
    settings = tmp_path / "conf.py"
    settings.write_text(f"WARUNG = {{'IMAGE_CACHE': {str(tmp_path / 'c' / 'images')!r}}}\n")
    result = check(content, "--settings", str(settings))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines == [
        "KESALAHAN: content/shops/kopi-wanayasa/arabika.md, baris 2 (Price): Harga 'empat puluh "
        "ribu' bukan angka rupiah bulat. Tulis misalnya: Price: 45000",
        "PERINGATAN: content/shops/kopi-wanayasa/arabika.md, baris 5 (Warna): Kunci 'warna' tidak "
        "dikenal dan diabaikan. Kunci yang dikenal: title, price, category, image, images, unit, "
        "stock, variants, tags.",
        "KESALAHAN: content/shops/kopi-wanayasa/palsu.md, baris 4 (Image): File 'images/palsu.jpg' "
        "bukan foto yang bisa dibaca. Simpan sebagai JPG atau PNG lalu ganti kuncinya, misalnya: "
        "Image: images/produk.jpg",
        lines[3],
        "Pemeriksaan gagal: 3 kesalahan dan 1 peringatan di 1 toko dan 2 produk. Perbaiki "
        "kesalahan di atas lalu jalankan lagi.",
    ]
    assert lines[3].startswith("KESALAHAN: content/shops/kopi-wanayasa/shop.md, baris 4 "
                               "(Kecamatan): Kecamatan 'Atlantis' tidak ada di Kabupaten Purwakarta.")
    assert not (tmp_path / "c" / "images").exists(), "the check never resizes photos"


def test_github_format_annotates_file_and_line(content, tmp_path):
    make_shop(content / "shops", products={"arabika": product(price="45,000", Warna="merah")})
    result = check(content, "--settings", str(tmp_path / "none.py"), "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == (
        "::error file=content/shops/kopi-wanayasa/arabika.md,line=2,title=Price::Harga '45,000' "
        "bisa dibaca dua cara: koma berarti desimal, titik memisahkan ribuan. Bila maksud Anda "
        "Rp45.000, tulis: Price: Rp45.000")
    assert lines[1].startswith(
        "::warning file=content/shops/kopi-wanayasa/arabika.md,line=5,title=Warna::Kunci 'warna'")
    assert lines[2].startswith("Pemeriksaan gagal: 1 kesalahan dan 1 peringatan")


def test_make_check_never_prints_what_a_symlinked_file_points_at(content, tmp_path, monkeypatch):
    make_shop(content / "shops")
    base = content / "shops" / "kopi-wanayasa"
    (base / "environ.md").symlink_to("/proc/self/environ")
    (base / "passwd.md").symlink_to("/etc/passwd")
    monkeypatch.setenv("WARUNG_SECRET_PROBE", "jangan-bocor-123")
    result = check(content, "--settings", str(tmp_path / "none.py"))
    assert result.returncode == 1
    assert "jangan-bocor" not in result.stdout + result.stderr
    assert "root" not in result.stdout and "daemon" not in result.stdout
    assert "environ.md: 'environ.md' adalah tautan (symlink) dan tidak dibaca" in result.stdout
