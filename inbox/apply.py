"""A submission turned into content files: what ``make terima`` writes.

``plan(data, shops_dir, photo)`` returns a ``Plan``: the files to write
(path relative to ``shops_dir`` -> bytes), the files to remove and a summary
of the changes for the commit message. Every path is built from slugs
(python-slugify: ``[a-z0-9-]``) and checked to lie inside the shop's folder;
nothing the seller typed is ever used as a path. ``photo(key)`` returns the
bytes of an uploaded photo.

- ``daftar`` (a new shop): the folder is the slug of the shop name, with
  ``-2``, ``-3``... when taken; ``shop.md``, one ``<product>.md`` per product,
  photos in ``images/``.
- ``ubah`` (an update): the shop folder comes from the sign-in (stored with
  the submission by the function, never from the form); only the changed
  keys of ``shop.md`` and the products are rewritten (``frontmatter.merge``).
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from slugify import slugify

from daftar.check import PRODUCT_FIELDS, SHOP_FIELDS, to_product_meta, to_shop_meta
from daftar.photos import sniff
from inbox import frontmatter
from warung.text import texts


class Unsafe(ValueError):
    """A path that would leave the shop folder (never expected: slugs only)."""


@dataclass
class Plan:
    slug: str
    files: dict = field(default_factory=dict)    # relative path -> bytes
    removed: list = field(default_factory=list)  # relative paths
    summary: list = field(default_factory=list)  # lines for the commit message


def _inside(slug: str, *parts: str) -> str:
    path = PurePosixPath(slug, *parts)
    if ".." in path.parts or path.is_absolute() or path.parts[0] != slug:
        raise Unsafe(str(path))
    return str(path)


def free_slug(base: str, taken) -> str:
    base = slugify(base)[:60].strip("-") or "toko"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _photos(plan: Plan, keys, prefix: str, photo) -> list[str]:
    names = []
    for index, key in enumerate(keys, 1):
        data = photo(key)
        kind = sniff(data[:16]) or "jpg"
        name = f"images/{prefix}-{index}.{kind}" if prefix != "logo" else f"images/logo.{kind}"
        plan.files[_inside(plan.slug, name)] = data
        names.append(name)
    return names


def _product_meta(product: dict, names: list[str]) -> dict:
    meta = {k: v for k, v in to_product_meta({**product, "photos": []}).items() if v}
    if names:
        meta["image"] = names[0]
    if names[1:]:
        meta["images"] = ", ".join(names[1:])
    return meta


def _line(key: str, **values) -> str:
    """One line of the commit message's summary (texts: ``[daftar_commit]``)."""
    return texts()["daftar_commit"][key].format(**values).strip()


def new_shop(data: dict, existing, photo) -> Plan:
    shop = data["shop"]
    plan = Plan(free_slug(shop.get("title", ""), set(existing)))
    meta = {k: v for k, v in to_shop_meta({**shop, "logo": ""}).items() if v}
    if shop.get("logo"):
        meta["logo"] = _photos(plan, [shop["logo"]], "logo", photo)[0]
    plan.files[_inside(plan.slug, "shop.md")] = frontmatter.render(meta, shop.get("about")).encode()
    plan.summary.append(_line("toko_baru", title=frontmatter.fold(shop.get("title")),
                             slug=plan.slug))
    taken = {"shop"}
    for product in data["products"]:
        pslug = free_slug(product.get("title", "") or "produk", taken)
        taken.add(pslug)
        names = _photos(plan, product.get("photos") or [], pslug, photo)
        text = frontmatter.render(_product_meta(product, names), product.get("about"))
        plan.files[_inside(plan.slug, f"{pslug}.md")] = text.encode()
        plan.summary.append(_line("produk", title=frontmatter.fold(product.get("title")),
                                 slug=pslug))
    return plan


def _stored_key(key: str, ref: str) -> str:
    """An upload's key as stored with the submission (``inbox/<ref>/<name>``)."""
    return f"inbox/{ref}/{key.rsplit('/', 1)[-1]}" if key.startswith("unggah/") else key


def _find(paths, shop_slug: str) -> tuple[str, dict]:
    """(shop folder, product slug -> file name) at HEAD, folders and files by their slugs."""
    folders = {}
    for path in paths:
        folder, _, name = path.partition("/")
        folders.setdefault(folder, []).append(name)
    folder = next((f for f in folders if slugify(f) == shop_slug), None)
    if folder is None:
        raise KeyError(shop_slug)
    files = {slugify(PurePosixPath(n).stem): n for n in folders[folder]
             if "/" not in n and n.endswith(".md") and n != "shop.md"}
    return folder, files


def _shop_changes(diff: dict) -> dict:
    """The changed shop fields as content keys (form name -> rules key)."""
    return {SHOP_FIELDS[name]: (", ".join(value) if isinstance(value, list) else value)
            for name, value in diff["shop"].items() if name in SHOP_FIELDS and name != "logo"}


def _changed_product(plan, ref, folder, files, product, read, photo, tag):
    name = files[product["id"]]
    changes = {PRODUCT_FIELDS[k]: v for k, v in product["changes"].items() if k in PRODUCT_FIELDS}
    if product.get("photos"):
        keys = [_stored_key(k, ref) for k in product["photos"]]
        names = _photos(plan, keys, f"{product['id']}-{tag}", photo)
        changes["image"], changes["images"] = names[0], ", ".join(names[1:])
    text = frontmatter.merge(read(f"{folder}/{name}"), changes,
                             body=product.get("about") or None)
    plan.files[_inside(folder, name)] = text.encode()
    what = sorted(product["changes"]) + ([_line("foto")] if product.get("photos") else [])
    plan.summary.append(_line("ubah_produk", title=frontmatter.fold(product["title"]),
                              changes=", ".join(what)))


def update(data: dict, read, photo, paths) -> Plan:
    """The changes of an ``ubah`` submission to an existing shop (read(path) -> text)."""
    diff, ref = data["changes"], data["ref"]
    folder, files = _find(paths, data["shop_slug"])
    plan = Plan(folder)
    tag = ref.split("-", 1)[-1].lower()
    shop_changes = _shop_changes(diff)
    if diff["shop"].get("logo"):
        shop_changes["logo"] = _photos(plan, [_stored_key(diff["shop"]["logo"], ref)],
                                       "logo", photo)[0]
    if shop_changes or diff.get("about"):
        plan.files[_inside(folder, "shop.md")] = frontmatter.merge(
            read(f"{folder}/shop.md"), shop_changes, body=diff.get("about") or None,
            kind="shop").encode()
        plan.summary.append(_line("ubah_toko", changes=", ".join(
            sorted(shop_changes) or [_line("keterangan")])))
    taken = set(files)
    for product in diff["products"]:
        if product["action"] == "hapus" and product["id"] in files:
            plan.removed.append(_inside(folder, files[product["id"]]))
            plan.summary.append(_line("hapus", title=frontmatter.fold(product["title"])))
        elif product["action"] == "ubah" and product["id"] in files:
            _changed_product(plan, ref, folder, files, product, read, photo, tag)
        elif product["action"] == "baru":
            pslug = free_slug(product.get("title") or "produk", taken)
            taken.add(pslug)
            keys = [_stored_key(k, ref) for k in product.get("photos") or []]
            names = _photos(plan, keys, pslug, photo)
            text = frontmatter.render(_product_meta(product, names), product.get("about"))
            plan.files[_inside(folder, f"{pslug}.md")] = text.encode()
            plan.summary.append(_line("produk_baru", title=frontmatter.fold(product.get("title"))))
    return plan
