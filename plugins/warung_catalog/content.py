"""Read and validate the whole ``content/shops/`` tree into a ``Catalog``.

Every problem in every file is collected into one ``Report`` (nothing stops
at the first error). Photos are only inspected here (hash + header); the
build decodes and resizes them later, the check never does.

Shop id = slugify(folder name); product id = ``<shop id>/<slugify(file stem)>``.
"""

import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from warung import keys, rules
from warung.text import texts

from . import images, reader, safety
from .cache import JsonCache
from .catalog import Catalog, Image, Product, Shop, slug
from .report import Report
from .settings import cache_dir, limits

SHOP_FILE = "shop.md"
PARALLEL_PARSE_FROM = 200


def _text(text_key: str, /, **values) -> str:
    return texts()["periksa"][text_key].format(**values)


def display_path(path: Path, content_path: Path) -> str:
    """The path as sellers see it, e.g. ``content/shops/kopi/arabika.md``:
    relative to the content folder's parent (the project)."""
    path = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(content_path)).parent, Path.cwd()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


@dataclass
class Loaded:
    catalog: Catalog | None
    report: Report
    plans: list = field(default_factory=list)  # image plans, one per photo used
    shop_count: int = 0
    product_count: int = 0


class ContentLoader:
    def __init__(self, content_path: Path, warung: dict):
        self.content_path = Path(content_path)
        self.warung = warung
        self.shops_path = self.content_path / warung["SHOPS_DIR"]
        self.limits = limits(warung)
        self.report = Report()
        self.cache = JsonCache(cache_dir(warung) / "content.json", reader.VERSION)
        self.photo_cache = JsonCache(cache_dir(warung) / "photos.json", images.PIPELINE_VERSION)
        self._photos: dict[Path, images.SourceInfo | images.ImageProblem] = {}
        self._inodes: dict[tuple, images.SourceInfo] = {}
        self.plans: dict[str, images.Plan] = {}

    # -- files -------------------------------------------------------------

    def _where(self, path: Path) -> str:
        return display_path(path, self.content_path)

    def _parse_new_files(self) -> None:
        """Parse every seller file not in the cache, on every core when there
        are many (a cold 10,000-product build spends most of its reading time
        in Markdown)."""
        new = {}
        for path in self.shops_path.glob("*/*.md"):
            try:
                raw = safety.read_file(path, self.shops_path)
            except (OSError, safety.Refused):
                continue  # reported by _read or _shop_folder
            key = hashlib.sha256(raw).hexdigest()
            if self.cache.get(key) is None:
                new[key] = raw
        if len(new) < PARALLEL_PARSE_FROM:
            return
        workers = min(os.cpu_count() or 1, 4)
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            documents = pool.map(reader.parse, new.values(), chunksize=64)
        for key, document in zip(new, documents):
            self.cache.set(key, document.to_json())

    def _read(self, path: Path) -> reader.Document:
        try:
            raw = safety.read_file(path, self.shops_path)
        except safety.Refused as refused:
            return reader.Document(issues=[reader.Issue(_text(refused.kind, name=path.name))])
        except OSError as err:
            return reader.Document(issues=[reader.Issue(
                _text("file_unreadable", reason=err.strerror or str(err)))])
        key = hashlib.sha256(raw).hexdigest()
        cached = self.cache.get(key)
        if cached is not None:
            return reader.Document.from_json(cached)
        document = reader.parse(raw)
        self.cache.set(key, document.to_json())
        return document

    def _report_document(self, path: Path, document: reader.Document) -> None:
        for issue in document.issues:
            self.report.add(self._where(path), issue.message, issue.line, issue.key,
                            issue.severity)

    def _report_rules(self, path: Path, document: reader.Document, problems) -> None:
        for problem in problems:
            written = document.meta.get((problem.written or problem.key).lower())
            self.report.add(
                self._where(path), problem.message,
                written.line if written else None,
                written.key if written else keys.key_name(problem.key),
                problem.severity,
            )

    # -- photos ------------------------------------------------------------

    def _photo_info(self, path: Path, stat: os.stat_result) -> images.SourceInfo:
        """Hash + header of a photo, remembered by path, size and mtime between builds."""
        if path in self._photos:
            known = self._photos[path]
            if isinstance(known, images.ImageProblem):
                raise known
            return known
        stamp = (f"{path}:{stat.st_mtime_ns}:{stat.st_size}:{self.warung['MAX_IMAGE_PIXELS']}:"
                 f"{self.warung['MAX_FULL_DECODE_PIXELS']}")
        same_file = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        known = self.photo_cache.get(stamp)
        if known is not None:
            info = images.SourceInfo(*known)
        elif same_file in self._inodes:  # a hard link to a photo seen in this build
            info = self._inodes[same_file]
            self.photo_cache.set(stamp, [info.sha256, info.width, info.height])
        else:
            try:
                info = images.inspect(path, self.warung["MAX_IMAGE_PIXELS"],
                                      self.warung["MAX_FULL_DECODE_PIXELS"])
            except images.ImageProblem as problem:
                self._photos[path] = problem
                raise
            self.photo_cache.set(stamp, [info.sha256, info.width, info.height])
        self._photos[path] = self._inodes[same_file] = info
        return info

    def _image(self, doc_path: Path, shop_folder: Path, shop_id: str, written: str,
               alt: str, document: reader.Document, key: str) -> Image | None:
        kind = "shop" if key == "logo" else "product"
        field_ = next((f for k, f in document.meta.items() if keys.canonical(k, kind) == key), None)
        line, shown_key = (field_.line, field_.key) if field_ else (None, keys.key_name(key))
        photo, problem, warning = self._locate_photo(shop_folder, written, shown_key)
        if warning:
            self.report.add(self._where(doc_path), warning, line, shown_key, "warning")
        if not problem:
            stat = os.stat(photo)
            try:
                info = self._photo_info(photo, stat)
            except images.ImageProblem as error:
                problem = _text(error.kind, name=rules.shown(written), **error.values)
        if problem:
            self.report.add(self._where(doc_path), problem, line, shown_key)
            return None
        plan = images.plan(photo, info, shop_id, slug(Path(written).stem) or "foto",
                           self.warung["IMAGE_WIDTHS"])
        self.plans[plan.outputs[0].url] = plan
        return Image.from_plan(plan, alt)

    def _locate_photo(self, shop_folder: Path, written: str, key: str):
        """(path, error, warning) for the photo a seller named (``safety.locate_photo``)."""
        photo, how, found = safety.locate_photo(shop_folder, written)
        values = {"name": rules.shown(written), "found": found, "key": key,
                  "folder": self._where(photo.parent)}
        if how == "case":
            return photo, None, _text("image_case", **values)
        return photo, (_text(how, **values) if how else None), None

    # -- shops and products ------------------------------------------------

    def _shop(self, folder: Path, shop_id: str) -> Shop | None:
        path = folder / SHOP_FILE
        document = self._read(path)
        self._report_document(path, document)
        if not document.meta:
            return None
        clean, problems = rules.validate_shop(document.values(), self.limits)
        self._report_rules(path, document, problems)
        logo = None
        if "logo" in clean:
            logo = self._image(path, folder, shop_id, clean["logo"], clean.get("title", ""),
                               document, "logo")
        if any(p.severity == "error" for p in problems):
            return None
        return Shop(
            id=shop_id, title=clean["title"], kecamatan=clean["kecamatan"],
            whatsapp=clean["whatsapp"], email=clean["email"],
            address=clean.get("address", ""), payment=clean["payment"],
            delivery=clean["delivery"], delivery_fee=clean["deliveryfee"],
            permits={k: clean[k] for k in ("nib", "pirt", "halal") if k in clean},
            logo=logo, content=document.html, summary=document.summary,
        )

    def _product(self, path: Path, product_slug: str, folder: Path, shop_id: str,
                 shop: Shop | None) -> Product | None:
        document = self._read(path)
        self._report_document(path, document)
        if not document.meta:
            return None
        clean, problems = rules.validate_product(document.values(), self.limits)
        self._report_rules(path, document, problems)
        title = clean.get("title", "")
        photos = []
        if "image" in clean:
            photos.append(self._image(path, folder, shop_id, clean["image"], title,
                                      document, "image"))
        for written in clean.get("images", []):
            photos.append(self._image(path, folder, shop_id, written, title,
                                      document, "images"))
        if shop is None or any(p.severity == "error" for p in problems) or None in photos:
            return None
        return Product(
            slug=product_slug, shop=shop, title=title, price=clean["price"],
            category=clean["category"], images=photos, unit=clean["unit"],
            stock=clean["stock"], variants=clean["variants"], tags=clean["tags"],
            content=document.html, summary=document.summary or title,
            sort_date=path.stat().st_mtime,
        )

    def _shop_folder(self, folder: Path, shop_ids: dict) -> tuple[Shop | None, int]:
        shop_id = slug(folder.name)
        if not shop_id:
            self.report.add(self._where(folder), _text("folder_name_invalid", name=folder.name))
            return None, 0
        if shop_id in shop_ids:
            self.report.add(self._where(folder),
                            _text("shop_id_twice", id=shop_id, other=shop_ids[shop_id]))
            return None, 0
        shop_ids[shop_id] = self._where(folder)
        files, refused = safety.markdown_files(folder)
        for path, kind in refused:  # links and special files: reported, never read
            self.report.add(self._where(path), _text(kind, name=rules.shown(path.name)))
        shop_file = next((p for p in files if p.name.lower() == SHOP_FILE), None)
        if shop_file is None:
            self.report.add(self._where(folder),
                            _text("shop_md_missing", path=self._where(folder / SHOP_FILE)))
            shop = None
        else:
            shop = self._shop(folder, shop_id)
        product_files = [p for p in files if p is not shop_file]
        if not product_files and shop_file is not None:
            self.report.add(self._where(shop_file),
                            _text("shop_no_products",
                                  example=self._where(folder / "nama-produk.md")),
                            severity="warning")
        seen: dict[str, Path] = {}
        for path in product_files:
            product_slug = slug(path.stem)
            if not product_slug:
                self.report.add(self._where(path), _text("file_name_invalid", name=path.name))
                continue
            if product_slug in seen:
                self.report.add(self._where(path),
                                _text("product_id_twice", id=f"{shop_id}/{product_slug}",
                                      other=self._where(seen[product_slug])))
                continue
            seen[product_slug] = path
            product = self._product(path, product_slug, folder, shop_id, shop)
            if product is not None:
                shop.products.append(product)
        return shop, len(product_files)

    def load(self) -> Loaded:
        shops, product_count, shop_count = [], 0, 0
        if not self.shops_path.is_dir():
            self.report.add(self._where(self.shops_path),
                            _text("shops_dir_missing", path=self._where(self.shops_path)))
        else:
            self._parse_new_files()
            shop_ids: dict[str, str] = {}
            for entry in sorted(self.shops_path.iterdir()):
                if entry.name.startswith("."):
                    continue
                refused = safety.kind_of(entry)
                if refused:
                    self.report.add(self._where(entry), _text(refused, name=rules.shown(entry.name)))
                    continue
                if not entry.is_dir():
                    self.report.add(self._where(entry), _text(
                        "stray_file", example=self._where(self.shops_path / "nama-toko" / entry.name)),
                        severity="warning")
                    continue
                shop_count += 1
                shop, count = self._shop_folder(entry, shop_ids)
                product_count += count
                if shop is not None:
                    shops.append(shop)
        self.cache.save()
        self.photo_cache.save()
        catalog = None if self.report.errors else Catalog(shops)
        return Loaded(catalog, self.report, list(self.plans.values()), shop_count, product_count)


def load(content_path: Path, warung: dict) -> Loaded:
    return ContentLoader(content_path, warung).load()
