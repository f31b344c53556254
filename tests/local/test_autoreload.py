"""``--autoreload``: a seller edits a product file, the local run rebuilds
with Pelican and uploads the new private catalog, and the functions (here
the search) see the new data without a restart."""

import shutil
import time

from local.autoreload import pelican_command, snapshot
from local.live import ROOT, LiveServer
from tests.fixtures.site import build_site


def test_snapshot_sees_edits_and_new_files(tmp_path):
    (tmp_path / "a.md").write_text("Title: A")
    before = snapshot([tmp_path])
    assert snapshot([tmp_path]) == before
    (tmp_path / "a.md").write_text("Title: A baru")
    assert snapshot([tmp_path]) != before
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"")
    after = snapshot([tmp_path])
    assert not any("__pycache__" in path for path in after)


def test_pelican_command_writes_the_private_catalog_where_served(tmp_path):
    command = pelican_command(ROOT / "content", tmp_path / "out", ROOT / "pelicanconf.py",
                              tmp_path / "k.json")
    assert command[1:3] == ["-m", "pelican"]
    assert command[-1] == 'WARUNG={"PRIVATE_CATALOG": "' + str(tmp_path / "k.json") + '"}'


def _search(server, q: str) -> list[dict]:
    response = server.get(f"/api/search?q={q}&format=json")
    assert response.status == 200, response.text
    return response.json()["results"]


def test_edit_reaches_the_running_functions(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    result = build_site(content, tmp_path)
    assert result.returncode == 0, result.stderr
    product = content / "shops" / "kopi-wanayasa" / "kopi-robusta-burangrang.md"
    server = LiveServer(tmp_path / "output", tmp_path / "private" / "katalog.json",
                        tmp_path / "serve.log",
                        args=["--quiet", "--autoreload", "--content", str(content)])
    try:
        assert [r["title"] for r in _search(server, "burangrang")] == ["Kopi Robusta Burangrang"]
        product.write_text(product.read_text().replace("Title: Kopi Robusta Burangrang",
                                                       "Title: Kopi Robusta Istimewa Burangrang"))
        deadline = time.monotonic() + 180  # bounded: a rebuild on a busy machine
        titles = []
        while time.monotonic() < deadline:
            titles = [r["title"] for r in _search(server, "istimewa")]
            if titles:
                break
            time.sleep(1)
        assert titles == ["Kopi Robusta Istimewa Burangrang"], server.log()[-3000:]
        page = server.get("/toko/kopi-wanayasa/kopi-robusta-burangrang/")
        assert "Kopi Robusta Istimewa Burangrang" in page.text
    finally:
        server.stop()


def test_only_changes_outside_content_need_a_fresh_builder(tmp_path):
    from local.autoreload import Watcher, builder_command

    content = tmp_path / "content"
    watcher = Watcher(content=content, settings=tmp_path / "pelicanconf.py",
                      output=tmp_path / "out", private=tmp_path / "k.json")
    assert not watcher._code_changed([str(content / "shops" / "a" / "b.md")])
    assert not watcher._code_changed([str(content / "shops" / "a" / "c.md"), str(content)])
    assert watcher._code_changed([str(content / "shops" / "a" / "b.md"),
                                  str(tmp_path / "theme" / "x")])
    assert watcher._code_changed([str(tmp_path / "plugins" / "y.py")])
    command = builder_command(content, tmp_path / "out", tmp_path / "s.py", tmp_path / "k.json")
    assert command[1:3] == ["-m", "warung_catalog.devbuild"]
    assert command[3:] == pelican_command(content, tmp_path / "out", tmp_path / "s.py",
                                          tmp_path / "k.json")[3:]


def _wait_for(server, path: str, text: str) -> str:
    deadline = time.monotonic() + 180  # bounded: a rebuild on a busy machine
    page = ""
    while time.monotonic() < deadline:
        page = server.get(path).text
        if text in page:
            break
        time.sleep(0.5)
    return page


def test_edited_price_shows_on_the_served_page(tmp_path):
    """The long-lived builder: two edits in a row each reach the served
    product page (the second one from the catalog kept in memory), and a
    broken edit leaves the last good page served until it is fixed."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    result = build_site(content, tmp_path)
    assert result.returncode == 0, result.stderr
    product = content / "shops" / "kopi-wanayasa" / "kopi-robusta-burangrang.md"
    original = product.read_text()
    path = "/toko/kopi-wanayasa/kopi-robusta-burangrang/"
    server = LiveServer(tmp_path / "output", tmp_path / "private" / "katalog.json",
                        tmp_path / "serve.log",
                        args=["--quiet", "--autoreload", "--content", str(content)])
    try:
        assert "Rp35.000" in server.get(path).text
        product.write_text(original.replace("Price: Rp35.000", "Price: Rp41.500"))
        page = _wait_for(server, path, "Rp41.500")
        assert "Rp41.500" in page, server.log()[-3000:]
        product.write_text(original.replace("Price: Rp35.000", "Price: tiga puluh"))
        time.sleep(3)  # the broken edit is built and refused; the page stays
        assert "Rp41.500" in server.get(path).text
        product.write_text(original.replace("Price: Rp35.000", "Price: Rp42.000"))
        page = _wait_for(server, path, "Rp42.000")
        assert "Rp42.000" in page and "Rp41.500" not in page, server.log()[-3000:]
    finally:
        server.stop()
