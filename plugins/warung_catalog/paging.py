"""The catalog's URLs and its one pagination (category listings).

Pelican's paginator pages articles by its own URL settings; a category here
is a list of products with the URLs DESIGN.md fixes (``/kategori/<slug>/``,
then ``/kategori/<slug>/2/``), so this is the whole of it.
"""

from math import ceil


def output_file(url: str) -> str:
    """/toko/x/ -> toko/x/index.html; /404.html stays 404.html."""
    return url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")


def page_url(first_url: str, number: int) -> str:
    return first_url if number == 1 else f"{first_url}{number}/"


def page_count(item_count: int, per_page: int) -> int:
    """At least one page, even for an empty list."""
    return max(1, ceil(item_count / per_page))


class Paginated:
    """One page of a list: what ``category.html`` calls ``products_page``."""

    def __init__(self, items: list, first_url: str, number: int, per_page: int):
        self.number = number
        self.num_pages = page_count(len(items), per_page)
        self.object_list = items[(number - 1) * per_page: number * per_page]
        self.url = page_url(first_url, number)
        self.previous_url = page_url(first_url, number - 1) if number > 1 else None
        self.next_url = page_url(first_url, number + 1) if number < self.num_pages else None


def paginate(items: list, first_url: str, per_page: int) -> list[Paginated]:
    """Every page of ``items``, first to last."""
    return [Paginated(items, first_url, number, per_page)
            for number in range(1, page_count(len(items), per_page) + 1)]
