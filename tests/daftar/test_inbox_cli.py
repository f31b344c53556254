"""The staff commands against the real local run (no settings but its URL)."""

import json

from tests.daftar.conftest import jpeg_bytes
from tests.daftar.helpers import content_repo, join_form, staff, upload_photo


def submit(live_server, title, email="penjual@contoh.example"):
    key = upload_photo(live_server, jpeg_bytes())
    response = live_server.post_json("/api/daftar", join_form(title, [key], email))
    assert response.status == 201, response.text
    return response.json()


def test_list_show_and_decline_with_reason(live_server, tmp_path):
    stored = submit(live_server, "Gerabah Ditolak Dulu", "ditolak@contoh.example")
    ref = stored["ref"]
    listed = staff(live_server.url, "list")
    assert ref in listed.stdout and "Gerabah Ditolak Dulu" in listed.stdout
    shown = staff(live_server.url, "lihat", ref, "--save", str(tmp_path / "kiriman"))
    assert shown.returncode == 0, shown.stderr
    saved = list((tmp_path / "kiriman" / ref).glob("*.jpg"))
    assert len(saved) == 1 and saved[0].read_bytes()[:3] == b"\xff\xd8\xff"
    assert json.loads((tmp_path / "kiriman" / ref / "kiriman.json").read_text())["ref"] == ref

    declined = staff(live_server.url, "tolak", ref, "Foto produk kurang jelas")
    assert declined.returncode == 0, declined.stderr
    page = live_server.get(stored["status_url"])
    assert page.status == 200 and "Foto produk kurang jelas" in page.text
    assert "Belum bisa diterima" in page.text
    mails = live_server.wait_for_mail(
        lambda m: "ditolak@contoh.example" in m["to"] and "belum bisa diterima" in m["subject"])
    assert "Foto produk kurang jelas" in mails[0]["text"]
    assert ref not in staff(live_server.url, "list").stdout
    again = staff(live_server.url, "terima", ref, repo=content_repo(tmp_path))
    assert again.returncode == 1 and "sudah ditolak" in again.stdout


def test_staff_and_seller_emails_go_through_the_outbox(live_server):
    stored = submit(live_server, "Gerabah Surel", "surel@contoh.example")
    staff_mail = live_server.wait_for_mail(
        lambda m: stored["ref"] in m["subject"] and "petugas@" in m["to"][0])
    assert "make terima REF=" + stored["ref"] in staff_mail[0]["text"]
    seller = live_server.wait_for_mail(lambda m: "surel@contoh.example" in m["to"])
    assert stored["ref"] in seller[0]["subject"]


def test_staff_commands_without_a_running_server_say_what_to_do():
    result = staff("http://127.0.0.1:9", "list")
    assert result.returncode == 2 and "make serve" in result.stderr
