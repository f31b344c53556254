"""After the order: the status lifecycle of a shop order (docs/LIFECYCLE.md).

- ``states``: the pure transition rules (statuses, actions, reasons);
- ``records``: the conditional writes and reads on the orders table;
- ``links``: the seller's private page link (random token, only its hash stored);
- ``notify``: the buyer's short status email, delivered by the mailer;
- ``view``: how a status reads in Indonesian on the buyer's pages.
"""
