"""The mailer's reads and writes on the orders table (docs/ORDERS.md): all
``backend.store``'s (strongly consistent reads; ``mark_sent`` conditioned on
the record existing, so a late job never creates a stray item, and a digest
marked with its orders in all-or-nothing transactions).
"""

from backend import store

get = store.get
get_orders = store.get_orders  # codes -> records, in order, missing ones left out
order_pk = store.order_pk
checkout_pk = store.checkout_pk
mark_sent = store.mark_sent
