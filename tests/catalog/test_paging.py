"""The plugin's one pagination and its URLs, directly."""

import pytest

from warung_catalog.paging import Paginated, output_file, page_count, page_url, paginate


def test_output_file_of_a_folder_url_is_its_index():
    assert output_file("/") == "index.html"
    assert output_file("/toko/kopi/arabika/") == "toko/kopi/arabika/index.html"
    assert output_file("/404.html") == "404.html"


def test_the_first_page_keeps_the_list_url():
    assert page_url("/kategori/minuman/", 1) == "/kategori/minuman/"
    assert page_url("/kategori/minuman/", 3) == "/kategori/minuman/3/"


@pytest.mark.parametrize("count, pages", [(0, 1), (1, 1), (24, 1), (25, 2), (48, 2), (49, 3)])
def test_page_count_is_at_least_one(count, pages):
    assert page_count(count, 24) == pages


def test_pages_split_the_list_in_order_with_links_both_ways():
    items = list(range(7))
    pages = paginate(items, "/kategori/x/", 3)
    assert [p.object_list for p in pages] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [p.number for p in pages] == [1, 2, 3]
    assert {p.num_pages for p in pages} == {3}
    assert [p.url for p in pages] == ["/kategori/x/", "/kategori/x/2/", "/kategori/x/3/"]
    assert [p.previous_url for p in pages] == [None, "/kategori/x/", "/kategori/x/2/"]
    assert [p.next_url for p in pages] == ["/kategori/x/2/", "/kategori/x/3/", None]


def test_a_single_page_links_nowhere():
    page = Paginated(["a"], "/kategori/x/", 1, 24)
    assert (page.previous_url, page.next_url, page.num_pages) == (None, None, 1)


def test_an_empty_list_still_has_its_first_page():
    [page] = paginate([], "/kategori/x/", 24)
    assert page.object_list == [] and page.url == "/kategori/x/"
