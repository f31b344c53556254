"""POST /api/daftar and the status page, through the real handler on moto."""

import json

from daftar.handler import handler

from tests.daftar.conftest import jpeg_bytes, upload
from tests.functions.cloudfront_errors import replaced_codes

PATH = "/api/daftar"


def post(events, fields, **kwargs):
    return handler(events.form(fields, path=PATH, **kwargs), None)


def test_valid_join_is_stored_then_mailed_and_redirects_to_status(aws, events, valid_join):
    response = post(events, valid_join)
    assert response["statusCode"] == 303, response["body"][:2000]
    location = response["headers"]["location"]
    assert location.startswith("/api/daftar/PJ-") and "?t=" in location
    ref = location.split("/")[3].split("?")[0]
    record = aws.item(f"DAFTAR#{ref}")
    assert record["status"] == "menunggu" and record["kind"] == "daftar"
    assert record["shop_title"] == "Keripik Maniis" and record["products"] == 2
    token = location.split("t=")[1]
    assert token not in json.dumps(record)  # only its hash
    from daftar import records

    data = records.get_json(ref)
    assert data["products"][0]["photos"][0].startswith(f"inbox/{ref}/")
    jobs = aws.jobs()
    assert {job["surat"] for job in jobs} == {f"SURAT#{ref}-PETUGAS", f"SURAT#{ref}-PENJUAL"}
    assert aws.item(f"SURAT#{ref}-PETUGAS")["to"] == aws.env.get("STAFF_EMAIL",
                                                                 "petugas@warung.localhost")

    page = handler(events.get(location.split("?")[0], {"t": token}), None)
    assert page["statusCode"] == 200
    assert "Menunggu pemeriksaan petugas" in page["body"]
    assert "https://wa.me/62" in page["body"]
    wrong = handler(events.get(location.split("?")[0], {"t": token[:-1] + "x"}), None)
    assert wrong["statusCode"] == 410 not in replaced_codes()  # CloudFront keeps the message
    assert "Kiriman tidak ditemukan" in wrong["body"]


def test_json_client_gets_201(aws, events, valid_join):
    response = handler(events.json(valid_join, path=PATH), None)
    assert response["statusCode"] == 201
    body = json.loads(response["body"])
    assert body["ref"].startswith("PJ-") and body["status_url"].startswith(f"{PATH}/{body['ref']}?t=")


def _nothing_stored(aws):
    assert aws.items("DAFTAR#") == [] and aws.items("SURAT#") == [] and aws.jobs() == []


def test_bad_input_gets_indonesian_messages_next_to_fields_and_nothing_stored(
        aws, events, valid_join):
    text_file = upload(b"MZ this is not a photo", "image/jpeg")
    big = upload(b"\xff\xd8\xff" + b"\x00" * (15 * 1024 * 1024 + 10))
    fields = {**valid_join, "whatsapp": "12345", "kecamatan": "Atlantis",
              "product-1-price": "lima belas ribu", "product-1-photo": [text_file],
              "product-2-photo": [big], "title": "Toko\nStock: habis"}
    response = post(events, fields)
    assert response["statusCode"] == 400
    body = response["body"]
    assert 'id="err-whatsapp"' in body and "bukan nomor HP Indonesia" in body
    assert 'id="err-kecamatan"' in body and "Atlantis" in body
    assert 'id="err-product-1-price"' in body and "bukan angka rupiah" in body
    assert 'id="err-product-1-photo"' in body and "bukan foto" in body
    assert 'id="err-product-2-photo"' in body and "15 MB" in body
    # what was typed is kept, the title folded to one line
    assert 'value="Toko Stock: habis"' in body and 'value="lima belas ribu"' in body
    assert f'value="{text_file}"' in body  # uploaded photos kept
    _nothing_stored(aws)


def test_honeypot_answers_like_success_and_stores_nothing(aws, events, valid_join):
    response = post(events, {**valid_join, "website": "http://spam.example"})
    assert response["statusCode"] == 303
    _nothing_stored(aws)


def test_text_over_64_kb_is_413(aws, events, valid_join):
    response = post(events, {**valid_join, "about": "x" * 70000})
    assert response["statusCode"] == 413
    _nothing_stored(aws)


def test_multipart_text_is_read_and_files_refused(aws, events, valid_join):
    boundary = "----warung"
    parts = []
    for key, value in valid_join.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                         f'{one}\r\n')
    body = "".join(parts) + f"--{boundary}--\r\n"
    headers = {"content-type": f"multipart/form-data; boundary={boundary}",
               "origin": "https://warung.example"}
    ok = handler(events.raw("POST", PATH, body=body, headers=headers), None)
    assert ok["statusCode"] == 303
    with_file = body.replace(f"--{boundary}--", f'--{boundary}\r\nContent-Disposition: form-data; '
                             f'name="logo"; filename="a.jpg"\r\n\r\nabc\r\n--{boundary}--')
    refused = handler(events.raw("POST", PATH, body=with_file, headers=headers), None)
    assert refused["statusCode"] == 400


def test_staff_emails_are_capped_per_hour_with_a_digest(aws, events, valid_join, monkeypatch):
    monkeypatch.setenv("STAFF_EMAILS_PER_HOUR", "1")
    for _ in range(3):
        keys = [upload(jpeg_bytes()), upload(jpeg_bytes())]
        fields = {**valid_join, "product-1-photo": keys[:1], "product-2-photo": keys[1:]}
        assert post(events, fields)["statusCode"] == 303
    staff = [j for j in aws.jobs() if j["surat"].endswith("-PETUGAS")]
    assert len(staff) == 1
    digests = aws.items("SURAT#STAFF-")
    assert len(digests) == 1 and len(digests[0]["lines"]) == 2
    assert digests[0]["subject"].endswith(" WIB)")  # a readable hour, not YYYYMMDDHH
    assert aws.queue_counts()["delayed"] == 1


def test_rate_limit_per_address_on_valid_submissions(aws, events, valid_join, monkeypatch):
    from daftar import service

    monkeypatch.setattr(service, "RATE", (2, 3600))
    for _ in range(2):
        keys = [upload(jpeg_bytes()), upload(jpeg_bytes())]
        fields = {**valid_join, "product-1-photo": keys[:1], "product-2-photo": keys[1:]}
        assert post(events, fields)["statusCode"] == 303
    keys = [upload(jpeg_bytes()), upload(jpeg_bytes())]
    limited = post(events, {**valid_join, "product-1-photo": keys[:1], "product-2-photo": keys[1:]})
    assert limited["statusCode"] == 429 and "Terlalu banyak kiriman" in limited["body"]
    assert f'value="{keys[0]}"' in limited["body"]  # what was typed and uploaded is kept
    assert len(aws.items("DAFTAR#")) == 2


def test_a_photo_key_of_another_submission_is_refused(aws, events, valid_join):
    stored = post(events, valid_join)
    ref = stored["headers"]["location"].split("/")[3].split("?")[0]
    from daftar import records

    theirs = records.get_json(ref)["products"][0]["photos"][0]
    again = post(events, {**valid_join, "product-1-photo": [theirs]})
    assert again["statusCode"] == 400 and 'id="err-product-1-photo"' in again["body"]


def test_declined_submission_objects_are_tagged_for_the_90_day_rule(aws, events, valid_join):
    import os

    from backend import clients
    from daftar import records

    ref = post(events, valid_join)["headers"]["location"].split("/")[3].split("?")[0]
    records.tag_declined(ref)
    s3 = clients.s3()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=os.environ["INBOX_BUCKET"],
                                                 Prefix=f"inbox/{ref}/")["Contents"]]
    assert len(keys) == 3  # the JSON and two photos
    for key in keys:
        tags = s3.get_object_tagging(Bucket=os.environ["INBOX_BUCKET"], Key=key)["TagSet"]
        assert tags == [{"Key": "status", "Value": "ditolak"}]


def test_presign_gives_a_post_with_size_and_type_conditions(aws, events):
    import base64

    response = handler(events.json({"type": "image/jpeg"}, path="/api/daftar/foto"), None)
    assert response["statusCode"] == 200
    post_info = json.loads(response["body"])
    policy = json.loads(base64.b64decode(post_info["fields"]["policy"]))
    assert ["content-length-range", 1, 15 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    assert post_info["key"].startswith("unggah/") and post_info["key"].endswith(".jpg")
    refused = handler(events.json({"type": "application/pdf"}, path="/api/daftar/foto"), None)
    assert refused["statusCode"] == 400


def test_a_used_sign_in_link_keeps_its_message_behind_cloudfront(aws, events):
    used = handler(events.form({}, path="/api/ubah/masuk", query={"t": "x" * 30}), None)
    assert used["statusCode"] == 410 not in replaced_codes()
    assert "Tautan tidak berlaku" in used["body"]
