"""Generate a large synthetic catalog for build benchmarks.

    python bench/make_catalog.py N DEST [--photos 300] [--seed 1]

writes ``DEST/shops/<shop>/shop.md``, ``DEST/shops/<shop>/<product>.md`` and
``DEST/shops/<shop>/images/*.jpg``: N products across about N/25 shops, all
valid under ``warung.rules`` (the same seller contract as the real catalog),
with 2-5 sentence Indonesian descriptions in Markdown.

Photos: a pool of ``--photos`` small generated JPEGs (640x480) is shared by
all products; each product's ``images/<product>.jpg`` is a hard link (or a
copy) of one pool photo. The build identifies photos by content hash, so a
cold build still decodes and resizes each distinct photo once (a few
hundred decodes), while the rest of the 10,000-product build measures page
generation rather than 10,000 photo decodes.

Deterministic for a given N and seed.
"""

import argparse
import os
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT / "functions", ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from PIL import Image, ImageDraw  # noqa: E402

from warung import rules, wilayah  # noqa: E402

PRODUCTS_PER_SHOP = 25

CATEGORIES = {
    "Makanan": (["Keripik", "Simping", "Opak", "Rengginang", "Abon", "Dodol", "Kerupuk", "Sambal",
                 "Bumbu Sate Maranggi", "Peuyeum", "Kue Semprong", "Rempeyek", "Manisan"],
                ["Singkong", "Pisang", "Ketan", "Kacang", "Ikan", "Pedas", "Original", "Bawang",
                 "Pandan", "Cokelat", "Gula Aren", "Kencur"],
                ["bungkus 100 g", "bungkus 250 g", "toples 500 g", "botol 250 ml", "pak"]),
    "Minuman": (["Kopi Arabika", "Kopi Robusta", "Bandrek", "Bajigur", "Teh Kawa", "Wedang Jahe",
                 "Sirup", "Susu Kedelai"],
                ["Wanayasa", "Burangrang", "Gula Aren", "Jahe Merah", "Serai", "Pandan", "Sangrai Gelap"],
                ["bungkus 250 g", "botol 500 ml", "sachet isi 10", "bungkus 100 g"]),
    "Kerajinan": (["Guci", "Pot", "Kendi", "Vas", "Celengan", "Boboko", "Nyiru", "Besek",
                   "Tudung Saji", "Lampu Hias", "Piring", "Cangkir"],
                  ["Keramik", "Terakota", "Bambu", "Gerabah", "Glasir Biru", "Ukir", "Anyaman"],
                  ["buah", "set isi 6", "pasang", "ikat isi 10"]),
    "Fashion": (["Kain Batik", "Kemeja Batik", "Blus Batik", "Selendang", "Tas Jinjing", "Sarung",
                 "Ikat Kepala", "Dompet"],
                ["Motif Manggis", "Motif Simping", "Motif Wayang", "Sogan", "Indigo", "Cap", "Tulis"],
                ["lembar", "potong", "buah"]),
    "Pertanian": (["Beras", "Manggis", "Salak", "Pisang", "Alpukat", "Durian", "Jagung", "Kacang Tanah",
                   "Cabai", "Gula Aren", "Madu"],
                  ["Pandan Wangi", "Organik", "Super", "Lokal", "Mentega", "Ambon", "Hutan"],
                  ["kg", "karung 5 kg", "sisir", "ikat", "botol 500 ml"]),
}

SENTENCES = [
    "Dibuat {adv} oleh {who} di {place}.",
    "Bahan dipilih dari {source} agar rasanya tetap terjaga.",
    "Cocok untuk {use}.",
    "Kami mengemas setiap pesanan dengan rapi sehingga aman sampai di rumah Anda.",
    "Tanpa pengawet dan tanpa pewarna buatan.",
    "Simpan di tempat sejuk dan kering, jauh dari sinar matahari langsung.",
    "Produk ini **{badge}** dan sudah banyak dipesan warga {place}.",
    "Pesanan di atas pukul 15.00 dikirim keesokan harinya.",
    "Setiap barang sedikit berbeda karena dikerjakan dengan tangan.",
    "Hubungi kami lewat WhatsApp bila ingin memesan dalam jumlah besar.",
]
WORDS = {
    "adv": ["setiap hari", "dengan tangan", "dalam jumlah kecil", "secara turun-temurun", "dengan teliti"],
    "who": ["ibu-ibu PKK", "kelompok tani", "perajin setempat", "keluarga kami", "pemuda desa"],
    "source": ["petani sekitar", "kebun sendiri", "pasar desa", "koperasi desa", "pemasok langganan"],
    "use": ["oleh-oleh keluarga", "hantaran dan hajatan", "bekal sekolah", "teman minum teh sore",
            "hiasan ruang tamu", "acara kantor", "kebutuhan dapur sehari-hari"],
    "badge": ["laris", "favorit pelanggan", "andalan kami", "baru"],
}
WA_PREFIXES = ["0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0878", "0896", "0895"]
COLOURS = [(214, 120, 60), (120, 80, 50), (70, 110, 160), (60, 130, 80), (150, 60, 90),
           (200, 170, 60), (90, 70, 140), (180, 90, 60)]


def make_photo(path: Path, rng: random.Random) -> None:
    """A small 640x480 picture: gradient, a few shapes. About 10-25 KB."""
    base = rng.choice(COLOURS)
    image = Image.new("RGB", (640, 480), base)
    draw = ImageDraw.Draw(image)
    for y in range(0, 480, 8):
        shade = tuple(min(255, c + y // 6) for c in base)
        draw.rectangle((0, y, 640, y + 8), fill=shade)
    for _ in range(rng.randint(3, 7)):
        r = rng.randint(30, 120)
        x, y = rng.randint(0, 640), rng.randint(0, 480)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(COLOURS))
    image.save(path, "JPEG", quality=75)


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def whatsapp(rng: random.Random) -> str:
    while True:
        digits = rng.choice(WA_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        text = rng.choice([f"{digits[:4]}-{digits[4:8]}-{digits[8:]}", "+62 " + digits[1:], digits])
        try:
            rules.parse_whatsapp(text)
            return text
        except rules.ContentError:
            continue


def description(rng: random.Random, place: str) -> str:
    values = {key: rng.choice(options) for key, options in WORDS.items()}
    values["place"] = place
    chosen = rng.sample(SENTENCES, rng.randint(2, 5))
    text = " ".join(s.format(**values) for s in chosen)
    if rng.random() < 0.3:
        text += "\n\n- Berat bersih sesuai kemasan\n- Bisa dikirim ke seluruh Purwakarta"
    return text


def shop_file(rng: random.Random, index: int, kecamatan: str) -> tuple[str, str]:
    names = ["Warung", "Dapur", "Kebun", "Saung", "Toko", "Rumah", "Sentra"]
    owners = ["Bu Enok", "Mang Ujang", "Teh Euis", "Pak Dadang", "Ceu Iis", "Kang Asep", "Bu Imas"]
    title = f"{rng.choice(names)} {rng.choice(owners)} {kecamatan} {index}"
    slug = f"toko-{index:04d}-{kecamatan.lower().replace(' ', '-')}"
    desa = rng.choice(wilayah.desa_names(kecamatan) or [kecamatan])
    meta = [
        ("Title", title),
        ("WhatsApp", whatsapp(rng)),
        ("Email", f"{slug}@example.com"),
        ("Kecamatan", kecamatan),
        ("Address", f"Kp. {desa} RT 0{rng.randint(1, 9)}/0{rng.randint(1, 9)}, Desa {desa}"),
        ("Payment", ", ".join(rng.sample(rules.PAYMENT_METHODS, rng.randint(1, 3)))),
        ("Delivery", "ambil, antar"),
    ]
    if rng.random() < 0.7:
        meta.append(("DeliveryFee", rng.choice([
            str(rng.choice([5000, 8000, 10000, 15000])),
            f"{kecamatan}=5000; lainnya={rng.choice([10000, 15000, 20000])}"])))
    if rng.random() < 0.4:
        meta.append(("NIB", "".join(str(rng.randint(0, 9)) for _ in range(13))))
    body = (f"{title} adalah usaha kecil di Kecamatan {kecamatan}. "
            "Kami melayani pesanan dari seluruh Kabupaten Purwakarta.")
    return slug, "".join(f"{k}: {v}\n" for k, v in meta) + "\n" + body + "\n"


def product_file(rng: random.Random, index: int, image: str, place: str) -> tuple[str, str]:
    category = rng.choice(list(CATEGORIES))
    nouns, adjectives, units = CATEGORIES[category]
    title = f"{rng.choice(nouns)} {rng.choice(adjectives)} {index}"
    slug = title.lower().replace(" ", "-")
    price = rng.randrange(5_000, 500_000, 500)
    written = rng.choice([str(price), f"{price:,}".replace(",", "."), "Rp" + f"{price:,}".replace(",", ".")])
    meta = [("Title", title), ("Price", written), ("Category", category), ("Image", image),
            ("Unit", rng.choice(units)),
            ("Tags", ", ".join(w.lower() for w in rng.sample(nouns + adjectives, 2)))]
    roll = rng.random()
    if roll < 0.03:
        meta.append(("Stock", "habis"))
    elif roll < 0.06:
        meta.append(("Stock", "po"))
    if rng.random() < 0.25:
        meta.append(("Variants", f"Kecil={price}; Besar={price + rng.randrange(5_000, 50_000, 500)}"))
    return slug, "".join(f"{k}: {v}\n" for k, v in meta) + "\n" + description(rng, place) + "\n"


def generate(count: int, dest: Path, photos: int = 300, seed: int = 1, pool: Path | None = None) -> dict:
    """Write the tree; returns counts. ``dest/shops`` is replaced if present.

    The distinct photos are kept in ``pool`` (default ``dest/.photo-pool``,
    a hidden folder the build ignores) and linked into the shops' folders.
    """
    rng = random.Random(seed)
    dest = Path(dest)
    shops_dir = dest / "shops"
    if shops_dir.exists():
        shutil.rmtree(shops_dir)
    pool = Path(pool) if pool else dest / ".photo-pool"
    pool.mkdir(parents=True, exist_ok=True)
    pool_files = []
    for n in range(min(photos, count) or 1):
        path = pool / f"foto-{n:04d}.jpg"
        if not path.exists():
            make_photo(path, random.Random(f"{seed}-{n}"))
        pool_files.append(path)
    kecamatan = wilayah.kecamatan_names()
    shop_count = max(1, round(count / PRODUCTS_PER_SHOP))
    made = 0
    for s in range(shop_count):
        kec = kecamatan[s % len(kecamatan)]
        slug, text = shop_file(rng, s + 1, kec)
        folder = shops_dir / slug
        (folder / "images").mkdir(parents=True)
        (folder / "shop.md").write_text(text, encoding="utf-8")
        in_shop = count // shop_count + (1 if s < count % shop_count else 0)
        for _ in range(in_shop):
            made += 1
            image_name = f"images/p{made:05d}.jpg"
            product_slug, text = product_file(rng, made, image_name, kec)
            link_or_copy(pool_files[made % len(pool_files)], folder / image_name)
            (folder / f"{product_slug}.md").write_text(text, encoding="utf-8")
    return {"shops": shop_count, "products": made, "photos": len(pool_files)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of products")
    parser.add_argument("dest", type=Path, help="content folder to write (gets shops/ inside)")
    parser.add_argument("--photos", type=int, default=300, help="distinct photos shared by products")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(args.count, args.dest, args.photos, args.seed)
    print(f"{counts['products']} products in {counts['shops']} shops, "
          f"{counts['photos']} distinct photos -> {args.dest / 'shops'}")


if __name__ == "__main__":
    main()
