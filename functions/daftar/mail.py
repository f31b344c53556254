"""The emails of the seller form, through the mail queue like orders'.

Each email is a ``SURAT#<id>`` item (``to``, ``subject``, ``text``,
``email_status``) written with the submission; its job
``{"kind": "surat", "surat": pk}`` goes in the submission's outbox, and the
mailer sends the item as it is. Staff get one email per submission up to
``STAFF_EMAILS_PER_HOUR`` (default 10) in a clock hour; the rest are lines of
that hour's digest ``SURAT#STAFF-<YYYYMMDDHH>``, sent once, 15 minutes
after its first line (``"ringkasan": true`` delays the job).
"""

import os
import time
from datetime import datetime, timedelta, timezone

from backend import clients, ratelimit, store
from warung.emails import valid_email
from warung.text import texts

DIGEST_DELAY = 900
WIB = timezone(timedelta(hours=7))


def staff_address() -> str | None:
    return valid_email(os.environ.get("STAFF_EMAIL", "").strip())


def staff_cap() -> int:
    try:
        return max(0, int(os.environ.get("STAFF_EMAILS_PER_HOUR", "10")))
    except ValueError:
        return 10


def surat(pk: str, to: str, subject: str, text: str, now_iso: str) -> dict:
    return {"pk": pk, "to": to, "subject": subject, "text": text,
            "email_status": "pending", "created_at": now_iso,
            "expires_at": int(time.time()) + 30 * 86400}


def job(pk: str, *, digest: bool = False) -> dict:
    found = {"kind": "surat", "surat": pk}
    return {**found, "ringkasan": True} if digest else found


def staff_summary(record: dict) -> tuple[str, str]:
    s = texts()["daftar_surel"]
    kind = s["kind_" + record["kind"]]
    result = (s["result_ok"] if not record.get("problems")
              else s["result_bad"].format(count=record["problems"]))
    subject = s["staff_subject"].format(ref=record["ref"], shop=record["shop_title"], kind=kind)
    text = s["staff_text"].format(ref=record["ref"], kind=kind, shop=record["shop_title"],
                                  kecamatan=record.get("kecamatan", ""),
                                  products=record.get("products", 0), result=result)
    return subject, text


def hour_label(hour: str) -> str:
    """An hour key ``YYYYMMDDHH`` (UTC) as staff read it, in WIB:
    ``2 Desember 2026, pukul 11.00-11.59 WIB``."""
    start = datetime.strptime(hour, "%Y%m%d%H").replace(tzinfo=timezone.utc).astimezone(WIB)
    month = texts()["surel"]["bulan"][start.month - 1]
    return texts()["daftar_surel"]["digest_jam"].format(
        day=start.day, month=month, year=start.year, hour=f"{start.hour:02d}")


def _add_digest_line(pk: str, line: str, now: float) -> bool:
    """Append ``line`` to the hour's digest; True when a (delayed) job must be
    queued: the digest is new, or the job queued before has fired (or fires
    within a minute), so no line is left without one (as ``store.add_to_digest``)."""
    s = texts()["daftar_surel"]
    result = clients.dynamodb().update_item(
        TableName=store.table_name(), Key={"pk": {"S": pk}},
        UpdateExpression=("SET #l = list_append(if_not_exists(#l, :empty), :line), "
                          "#to = :to, subject = :sub, intro = :intro, "
                          "email_status = if_not_exists(email_status, :p), "
                          "expires_at = if_not_exists(expires_at, :exp)"),
        ExpressionAttributeNames={"#l": "lines", "#to": "to"},
        ExpressionAttributeValues={
            ":empty": {"L": []}, ":line": {"L": [{"S": line}]},
            ":to": {"S": staff_address()}, ":p": {"S": "pending"},
            ":sub": {"S": s["digest_subject"].format(hour=hour_label(pk.rsplit("-", 1)[-1]))},
            ":intro": {"S": s["digest_intro"]}, ":exp": {"N": str(int(now) + 30 * 86400)}},
        ReturnValues="ALL_OLD")
    old = result.get("Attributes") or {}
    if "lines" in old and now < float(old.get("next_job_at", {}).get("N", 0)) - 60:
        return False
    clients.dynamodb().update_item(
        TableName=store.table_name(), Key={"pk": {"S": pk}},
        UpdateExpression="SET next_job_at = :n",
        ExpressionAttributeValues={":n": {"N": str(int(now + DIGEST_DELAY))}})
    return True


def staff_mail(record: dict, now: float) -> tuple[list[dict], list[dict]]:
    """(items, jobs) of the staff email for a new submission: its own email
    under the hourly cap, else a line in the hour's digest (whose job, when
    the digest is new, is returned for the outbox)."""
    to = staff_address()
    if to is None:
        return [], []
    subject, text = staff_summary(record)
    hour = ratelimit.hour_key(now)
    hit = ratelimit.hit("staff", "inbox", staff_cap(), 3600, now, window_key=hour)
    if hit.allowed:
        pk = f"SURAT#{record['ref']}-PETUGAS"
        return [surat(pk, to, subject, text, record["created_at"])], [job(pk)]
    pk = f"SURAT#STAFF-{hour}"
    new = _add_digest_line(pk, subject, now)
    return [], ([job(pk, digest=True)] if new else [])


def seller_mail(record: dict, status_url: str, site_url: str) -> tuple[list[dict], list[dict]]:
    """The seller's confirmation (only with an email address given)."""
    to = valid_email(record.get("email") or "")
    if to is None:
        return [], []
    s = texts()["daftar_surel"]
    pk = f"SURAT#{record['ref']}-PENJUAL"
    text = s["seller_text"].format(shop=record["shop_title"], ref=record["ref"],
                                   url=site_url.rstrip("/") + status_url)
    subject = s["seller_subject"].format(shop=record["shop_title"], ref=record["ref"])
    return [surat(pk, to, subject, text, record["created_at"])], [job(pk)]


def declined_mail(record: dict, reason: str, site_url: str,
                  now_iso: str) -> tuple[list[dict], list[dict]]:
    to = valid_email(record.get("email") or "")
    if to is None:
        return [], []
    s = texts()["daftar_surel"]
    pk = f"SURAT#{record['ref']}-DITOLAK"
    site = site_url.rstrip("/") + "/"
    text = s["declined_text"].format(shop=record["shop_title"], ref=record["ref"],
                                     reason=reason, site=site)
    return [surat(pk, to, s["declined_subject"].format(ref=record["ref"]), text, now_iso)], \
        [job(pk)]
