"""What placing an order answers: the checkout, its shop orders and the
confirmation token (``repeated`` when an earlier request had placed it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Placed:
    checkout: dict
    orders: list[dict]
    token: str
    repeated: bool = False

    @property
    def code(self) -> str:
        return self.checkout["code"]
