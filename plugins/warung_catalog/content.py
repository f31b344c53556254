"""Build the catalog model from the whole ``content/shops/`` tree.

Walks the shop folders, validates every file with ``warung.rules`` and turns
what passes into ``Shop``/``Product`` objects. Every problem in every file
is collected into one ``Report`` (nothing stops at the first error). Reading
files is sources.py; photos are found (safety.py), inspected and planned
here (photos.py); the build decodes them later, the check never does.

Shop id = slugify(folder name); product id = ``<shop id>/<slugify(file stem)>``.
"""

from dataclasses import dataclass, field
from pathlib import Path

from warung import keys, rules
from warung.text import texts

from . import images, reader, safety
from .catalog import Catalog, Image, Product, Shop, slug
from .folders import FolderResult, FolderSnapshots, code_key
from .parallel import Forked
from .photos import Photos
from .report import Report
from .settings import cache_dir, limits
from .signature import tree_signature
from .sources import SourceFiles, display_path

SHOP_FILE = "shop.md"
# Changed shop folders from which reading them on every core is worth a fork.
PARALLEL_FOLDERS_FROM = 8


def _text(text_key: str, /, **values) -> str:
    return texts()["periksa"][text_key].format(**values)


@dataclass
class Loaded:
    catalog: Catalog | None
    report: Report
    photos: Photos | None = None
    shop_count: int = 0
    product_count: int = 0
    plans: list = field(default_factory=list)  # image plans, one per photo used


class Problems:
    """The content's one ``Report``, with paths shown as sellers see them."""

    def __init__(self, content_path: Path):
        self.content_path = content_path
        self.report = Report()

    def where(self, path: Path) -> str:
        return display_path(path, self.content_path)

    def add(self, path: Path, message: str, line=None, key=None, severity="error") -> None:
        self.report.add(self.where(path), message, line, key, severity)

    def of_document(self, path: Path, document: reader.Document) -> None:
        for issue in document.issues:
            self.add(path, issue.message, issue.line, issue.key, issue.severity)

    def of_rules(self, path: Path, document: reader.Document, problems) -> None:
        for problem in problems:
            written = document.meta.get((problem.written or problem.key).lower())
            line, key = (written.line, written.key) if written else (None, keys.key_name(problem.key))
            self.add(path, problem.message, line, key, problem.severity)

    @staticmethod
    def key_line(document: reader.Document, key: str, kind: str) -> tuple[int | None, str]:
        """(line, key as the seller wrote it) of canonical ``key``, for a message about it."""
        written = next((f for k, f in document.meta.items() if keys.canonical(k, kind) == key), None)
        return (written.line, written.key) if written else (None, keys.key_name(key))


class ContentLoader:
    """Shop folders and their files -> ``Shop`` and ``Product`` objects."""

    def __init__(self, content_path: Path, warung: dict):
        self.content_path = Path(content_path)
        self.shops_path = self.content_path / warung["SHOPS_DIR"]
        self.limits = limits(warung)
        self.problems = Problems(self.content_path)
        self.sources = SourceFiles(self.shops_path)
        self.photos = Photos(warung["MAX_IMAGE_PIXELS"], warung["IMAGE_WIDTHS"],
                             warung["MAX_FULL_DECODE_PIXELS"])
        self._shop_photos: safety.ShopPhotos | None = None  # set by shop_folder

    def _image(self, doc_path: Path, shop_id: str, written: str, alt: str,
               document: reader.Document, key: str) -> Image | None:
        """The photo ``written`` names in the shop folder being read."""
        photo, how, found, photo_stat = self._shop_photos.locate(written)
        problem = (doc_path, document, key, written, found, photo)
        if how == "case":
            self._photo_problem(*problem, "image_case", severity="warning")
            how = None
        if how is None:
            try:
                plan = self.photos.add(photo, photo_stat, shop_id,
                                       slug(Path(written).stem) or "foto")
                return Image.from_plan(plan, alt)
            except images.ImageProblem as error:
                self._photo_problem(*problem, error.kind, **error.values)
                return None
        self._photo_problem(*problem, how)
        return None

    def _photo_problem(self, doc_path: Path, document: reader.Document, key: str, written: str,
                       found: str | None, photo: Path, kind: str, severity="error",
                       **details) -> None:
        """Report a photo problem, naming the line, the key and the folder as
        the seller wrote them (worked out only when there is a problem)."""
        line, shown_key = self.problems.key_line(document, key,
                                                 "shop" if key == "logo" else "product")
        message = _text(kind, name=rules.shown(written), found=found, key=shown_key,
                        folder=self.problems.where(photo.parent), **details)
        self.problems.add(doc_path, message, line, shown_key, severity)

    def _validated(self, path: Path, validate) -> tuple[reader.Document, dict, list,
                                                         float] | None:
        """(document, valid values, problems, when the file was modified)."""
        document, modified = self.sources.read(path)
        self.problems.of_document(path, document)
        if not document.meta:
            return None
        clean, problems = validate(document.values(), self.limits)
        return document, clean, problems, modified

    def shop(self, folder: Path, shop_id: str) -> Shop | None:
        path = folder / SHOP_FILE
        validated = self._validated(path, rules.validate_shop)
        if validated is None:
            return None
        document, clean, problems, _ = validated
        self.problems.of_rules(path, document, problems)
        logo = None
        if "logo" in clean:
            logo = self._image(path, shop_id, clean["logo"], clean.get("title", ""),
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

    def product(self, path: Path, product_slug: str, shop_id: str,
                shop: Shop | None) -> Product | None:
        validated = self._validated(path, rules.validate_product)
        if validated is None:
            return None
        document, clean, problems, modified = validated
        self.problems.of_rules(path, document, problems)
        title = clean.get("title", "")
        written = [("image", clean["image"])] if "image" in clean else []
        written += [("images", name) for name in clean.get("images", [])]
        photos = [self._image(path, shop_id, name, title, document, key)
                  for key, name in written]
        if shop is None or any(p.severity == "error" for p in problems) or None in photos:
            return None
        return Product(
            slug=product_slug, shop=shop, title=title, price=clean["price"],
            category=clean["category"], images=photos, unit=clean["unit"],
            stock=clean["stock"], variants=clean["variants"], tags=clean["tags"],
            content=document.html, summary=document.summary or title,
            sort_date=modified,
        )

    def shop_folder(self, folder: Path, shop_id: str) -> FolderResult:
        """Read one shop folder: its shop, products, problems and photo plans
        (and, in ``photos.used``, its photos' inspection)."""
        problems, where = self.problems, self.problems.where
        marks = (len(problems.report.problems), len(self.photos.plans))
        self.photos.used = {}
        self._shop_photos = safety.ShopPhotos(folder)
        files, refused = safety.markdown_files(folder)
        for path, kind in refused:  # links and special files: reported, never read
            problems.add(path, _text(kind, name=rules.shown(path.name)))
        shop_file = next((p for p in files if p.name.lower() == SHOP_FILE), None)
        if shop_file is None:
            problems.add(folder, _text("shop_md_missing", path=where(folder / SHOP_FILE)))
        shop = self.shop(folder, shop_id) if shop_file else None
        product_files = [p for p in files if p is not shop_file]
        if not product_files and shop_file is not None:
            problems.add(shop_file, _text("shop_no_products",
                                          example=where(folder / "nama-produk.md")),
                         severity="warning")
        seen: dict[str, Path] = {}
        for path in product_files:
            product_slug = slug(path.stem)
            if not product_slug or product_slug in seen:
                problems.add(path, _text("product_id_twice", id=f"{shop_id}/{product_slug}",
                                         other=where(seen[product_slug]))
                             if product_slug else _text("file_name_invalid", name=path.name))
                continue
            seen[product_slug] = path
            product = self.product(path, product_slug, shop_id, shop)
            if product is not None:
                shop.products.append(product)
        found = problems.report.problems[marks[0]:]
        del problems.report.problems[marks[0]:]  # load() adds every folder's own
        return FolderResult(shop, len(product_files), found,
                            list(self.photos.plans.values())[marks[1]:])


def _shop_folders(loader: ContentLoader) -> list[tuple[Path, str]]:
    """(folder, shop id) of every shop folder; reports stray files and bad or
    repeated shop ids."""
    problems, where, shops_path = loader.problems, loader.problems.where, loader.shops_path
    folders, shop_ids = [], {}
    for entry in sorted(shops_path.iterdir()):
        if entry.name.startswith("."):
            continue
        refused = safety.kind_of(entry)
        if refused:  # a linked shop folder or a special file: never read
            problems.add(entry, _text(refused, name=rules.shown(entry.name)))
            continue
        if not entry.is_dir():
            problems.add(entry, _text(
                "stray_file", example=where(shops_path / "nama-toko" / entry.name)),
                severity="warning")
            continue
        shop_id = slug(entry.name)
        if not shop_id or shop_id in shop_ids:
            problems.add(entry, _text("shop_id_twice", id=shop_id, other=where(shop_ids[shop_id]))
                         if shop_id else _text("folder_name_invalid", name=entry.name))
            folders.append((entry, None))  # counted as a shop, not read
            continue
        shop_ids[shop_id] = entry
        folders.append((entry, shop_id))
    return folders


class Loading:
    """``load`` started: when many shop folders changed
    (``PARALLEL_FOLDERS_FROM``), they are being read on every core until
    ``finish()``; otherwise ``finish()`` reads them."""

    def __init__(self, content_path: Path, warung: dict):
        # The settings, the content path and the reading code: what a
        # started load must match to be taken (and its snapshots' key).
        self.key = code_key(warung, content_path)
        self.loader = loader = ContentLoader(content_path, warung)
        self.folders, self.results, self.changed, self.reading = [], {}, [], None
        self.missing = not loader.shops_path.is_dir()
        if self.missing:
            return
        self.snapshots = FolderSnapshots(cache_dir(warung), self.key)
        self.folders = _shop_folders(loader)
        for folder, shop_id in self.folders:
            if shop_id is not None:
                signature = tree_signature(folder)
                self.results[folder], photos = self.snapshots.get(folder, signature)
                if self.results[folder] is None:
                    loader.photos.known.update(photos)
                    self.changed.append((folder, shop_id, signature))
        if len(self.changed) >= PARALLEL_FOLDERS_FROM:
            self.reading = self._start_reading()

    def _read(self, item: tuple) -> FolderResult:
        """One changed folder read, and its snapshot written."""
        folder, shop_id, signature = item
        loader = self.loader
        result = loader.shop_folder(folder, shop_id)
        self.snapshots.put(folder, signature, result, loader.photos.used)
        return result

    def _start_reading(self) -> Forked:
        """Each worker leaves its folders' results in their snapshots, for
        ``finish`` to take them back from there: what crosses the pipes is
        small, so a worker never waits for this process (busy starting
        Pelican) to read them."""

        def read(item: tuple) -> None:
            self._read(item)

        return Forked(read, self.changed, stream=True)

    def stop(self) -> None:
        if self.reading is not None:
            self.reading.stop()

    def finish(self) -> Loaded:
        """The whole tree read, validated and built; every problem in ``report``."""
        loader, results = self.loader, self.results
        if self.missing:
            where = loader.problems.where
            loader.problems.add(loader.shops_path,
                                _text("shops_dir_missing", path=where(loader.shops_path)))
            return Loaded(None, loader.problems.report, loader.photos)
        if self.reading is None:
            for item in self.changed:
                results[item[0]] = self._read(item)
        else:
            for index, _ in self.reading.each():  # as each chunk of folders is read
                folder, _, signature = item = self.changed[index]
                # A snapshot that cannot be read back: the folder is read here.
                results[folder] = self.snapshots.get(folder, signature)[0] or self._read(item)
        self.snapshots.prune()
        report, shops = loader.problems.report, []
        for result in results.values():
            report.problems += result.problems
            loader.photos.plans.update((plan.outputs[0].url, plan) for plan in result.plans)
            if result.shop is not None:
                shops.append(result.shop)
        catalog = None if report.errors else Catalog(shops)
        return Loaded(catalog, report, loader.photos, len(self.folders),
                      sum(r.product_count for r in results.values()),
                      list(loader.photos.plans.values()))


_started: Loading | None = None  # start_loading's, until a load takes it


def start_loading(content_path: Path, warung: dict) -> None:
    """Start reading the tree now (``make html`` does before Pelican starts
    up): the next ``load`` of the same tree with the same settings takes it."""
    global _started
    stop_started()
    _started = Loading(content_path, warung)


def stop_started() -> None:
    global _started
    if _started is not None:
        _started.stop()
        _started = None


def load(content_path: Path, warung: dict) -> Loaded:
    """Read, validate and build the whole tree; every problem in ``report``.
    Shop folders whose files did not change come from their snapshot."""
    global _started
    started, _started = _started, None
    if started is not None and started.key == code_key(warung, content_path):
        return started.finish()
    if started is not None:
        started.stop()  # started for another tree or other settings
    return Loading(content_path, warung).finish()
