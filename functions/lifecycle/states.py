"""The status lifecycle of one shop order (pure: no I/O).

``menunggu`` -> ``diterima`` | ``ditolak``; ``diterima`` -> ``dikirim`` ->
``selesai``. Sellers move an order with an action: ``terima``, ``tolak``
(with a reason), ``kirim``, ``selesai``. ``plan`` says what an action does
to an order in a given status:

- a change (``Step.changed``): the status it goes to, from which one;
- a repeat (the order is already where the action leads): nothing to do;
- refused (``Refused``): the action does not apply to that status.
"""

from dataclasses import dataclass

MENUNGGU, DITERIMA, DITOLAK, DIKIRIM, SELESAI = (
    "menunggu", "diterima", "ditolak", "dikirim", "selesai")
STATUSES = (MENUNGGU, DITERIMA, DITOLAK, DIKIRIM, SELESAI)
FINAL = (DITOLAK, SELESAI)

# action -> (the statuses it applies to, the status it leads to)
ACTIONS = {
    "terima": ((MENUNGGU,), DITERIMA),
    "tolak": ((MENUNGGU,), DITOLAK),
    "kirim": ((DITERIMA,), DIKIRIM),
    "selesai": ((DIKIRIM,), SELESAI),
}
# The buyer hears of these (when they gave an email).
NOTIFIED = (DITERIMA, DITOLAK, DIKIRIM)

REASONS = ("stok_habis", "di_luar_jangkauan")  # plus a short free text
REASON_MAX = 120


class Refused(ValueError):
    """The action does not apply to the order's status."""

    def __init__(self, action: str, status: str):
        super().__init__(f"{action} not allowed in {status}")
        self.action, self.status = action, status


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    target: str

    @property
    def changed(self) -> bool:
        return self.source != self.target


def status_of(order: dict) -> str:
    """The order's status; an order stored before the lifecycle is waiting."""
    status = (order or {}).get("status")
    return status if status in STATUSES else MENUNGGU


def history_of(order: dict) -> list[dict]:
    """The recorded changes, oldest first (``[{"status", "at"}, ...]``)."""
    history = (order or {}).get("history")
    if isinstance(history, list) and history:
        return [entry for entry in history if isinstance(entry, dict)]
    created = (order or {}).get("created_at")
    return [{"status": MENUNGGU, "at": created}] if created else []


def initial(created_at: str) -> dict:
    """The lifecycle attributes of a new shop order."""
    return {"status": MENUNGGU, "history": [{"status": MENUNGGU, "at": created_at}]}


def plan(status: str, action: str) -> Step:
    """What ``action`` does to an order in ``status`` (raises ``Refused``)."""
    if action not in ACTIONS:
        raise Refused(action, status)
    sources, target = ACTIONS[action]
    if status == target:
        return Step(action, status, status)
    if status not in sources:
        raise Refused(action, status)
    return Step(action, status, target)


def actions_for(status: str) -> list[str]:
    """The actions a seller may take now, in the order the page shows them."""
    return [action for action, (sources, _) in ACTIONS.items() if status in sources]


def clean_reason(choice: str | None, other: str | None) -> str | None:
    """A decline reason: one of ``REASONS`` or a short free text; None when
    neither is given. Free text is cleaned and cut to ``REASON_MAX``."""
    choice = (choice or "").strip()
    if choice in REASONS:
        return choice
    from warung.cleantext import clean_text

    text = clean_text(other or "", multiline=False, limit=REASON_MAX).strip()
    return text or None


def entry(status: str, at: str, reason: str | None = None) -> dict:
    """One history entry."""
    found = {"status": status, "at": at}
    if reason:
        found["reason"] = reason
    return found
