"""The buyer's order lookup by code + WhatsApp number (JavaScript off):
shows nothing unless both match, and is rate-limited."""

from sellerpage.handler import handler
from tests.functions.cloudfront_errors import replaced_codes
from tests.functions.test_lifecycle_flow import LINK, post, run_mailer, sent_messages, text_of


def lookup(events, kode, wa, ip="203.0.113.9"):
    return handler(events.get("/api/pesanan", {"kode": kode, "wa": wa}, source_ip=ip), None)


def test_code_and_phone_must_both_match(aws, events, place_order):
    response, body = place_order()
    code = body["code"]
    run_mailer(aws)
    path = next(m.group(1) for message in sent_messages()
                for m in LINK.finditer(text_of(message)) if m.group(2) == f"{code}-2")
    post(events, path, {"aksi": "tolak", "alasan": "stok_habis"})

    found = lookup(events, code.lower(), "+62 813 1111 2222")
    assert found["statusCode"] == 200
    page = found["body"]
    assert "Menunggu penjual" in page and "Ditolak penjual: stok habis" in page
    assert "Siti" not in page and "Babakan" not in page  # no buyer details
    for kode, wa in ((code, "0813-1111-2223"), ("WO-000000", "0813-1111-2222"),
                     (code, ""), ("", "0813-1111-2222"), (code, "bukan nomor")):
        miss = lookup(events, kode, wa)
        # CloudFront passes the status through, so the form and message survive.
        assert miss["statusCode"] == 200 and miss["statusCode"] not in replaced_codes()
        assert 'action="/api/pesanan"' in miss["body"] and "Periksa lagi kode" in miss["body"]
        assert "Menunggu penjual" not in miss["body"] and "Kopi Wanayasa" not in miss["body"]
    empty = lookup(events, "", "")
    assert empty["statusCode"] == 200 and 'action="/api/pesanan"' in empty["body"]


def test_lookups_are_rate_limited_per_address_and_per_code(aws, events, place_order):
    response, body = place_order()
    code = body["code"]
    answers = [lookup(events, code, f"0813-1111-{n:04d}", ip=f"198.51.100.{n}")["statusCode"]
               for n in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429
    # Even the right phone waits now: guessing one code's phone is capped.
    limited = lookup(events, code, "0813-1111-2222", ip="198.51.100.99")
    assert limited["statusCode"] == 429 and int(limited["headers"]["retry-after"]) > 0
    per_ip = [lookup(events, f"WO-0000{n:02d}", "0813-1111-2222", ip="192.0.2.1")["statusCode"]
              for n in range(21)]
    assert per_ip[-1] == 429 and per_ip[:20] == [200] * 20


def test_the_static_page_has_the_lookup_form(built_site):
    html = (built_site.output / "pesanan" / "index.html").read_text(encoding="utf-8")
    assert 'action="/api/pesanan"' in html and 'name="kode"' in html and 'name="wa"' in html
