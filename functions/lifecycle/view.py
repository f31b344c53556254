"""How a shop order's status reads for the buyer (Indonesian, from the texts).

``status_view(order)`` -> ``{"status", "label", "at", "advice", "history"}``:
the words of the current status ("Ditolak penjual: stok habis", "Siap
diambil"...), when it happened (WIB), what to do next, and every change
with its time. ``public(order)`` is what the confirmation JSON carries.
"""

from datetime import datetime, timedelta, timezone

from warung.text import texts

from lifecycle import states

WIB = timezone(timedelta(hours=7))


def when(iso: str | None) -> str:
    """ISO UTC -> ``2 Desember 2026, pukul 11.05 WIB`` ('' if unreadable)."""
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00")).astimezone(WIB)
    except ValueError:
        return ""
    t = texts()
    return t["status_pesanan"]["waktu"].format(
        date=moment.day, month=t["surel"]["bulan"][moment.month - 1], year=moment.year,
        hour=moment.hour, minute=moment.minute)


def reason_text(reason: str | None) -> str:
    return texts()["alasan_tolak"].get(reason or "", reason or "")


def _key(status: str, delivery: str | None) -> str:
    if status == states.DIKIRIM:
        return "dikirim_antar" if delivery == "antar" else "dikirim_ambil"
    return status


def label(status: str, delivery: str | None = None, reason: str | None = None) -> str:
    words = texts()["status_pesanan"]
    if status == states.DITOLAK and reason:
        return words["ditolak_alasan"].format(reason=reason_text(reason))
    return words[_key(status, delivery)]


def status_view(order: dict) -> dict:
    status = states.status_of(order)
    delivery = order.get("delivery")
    history = states.history_of(order)
    return {
        "status": status,
        "label": label(status, delivery, order.get("decline_reason")),
        "at": when(history[-1]["at"]) if history else "",
        "advice": texts()["status_saran"][_key(status, delivery)],
        "history": [{"label": label(e.get("status"), delivery, e.get("reason")),
                     "at": when(e.get("at"))} for e in history
                    if e.get("status") in states.STATUSES],
    }


def public(order: dict) -> dict:
    """``status`` and ``history`` for the confirmation JSON."""
    return {"status": states.status_of(order),
            "history": [{k: e[k] for k in ("status", "at", "reason") if e.get(k)}
                        for e in states.history_of(order)]}
