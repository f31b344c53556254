"""Keep moto fast and small under load, for the local run only.

moto's ``TransactWriteItems`` takes a rollback backup by deep-copying the
whole table, once per item of the transaction
(``moto.dynamodb.models.DynamoDBBackend.transact_write_items``). An order is
one transaction of several items, so every order copied the table several
times: the local run slowed down as orders accumulated (7.8 orders/s fresh,
2.0/s after ~450) and the garbage grew the process to gigabytes.

``apply()`` keeps moto's transaction logic as it is and changes only the
backup: the items the transaction names are copied before it runs and put
back when it fails, as real DynamoDB leaves them (all or nothing); the
table itself is never copied.

``dispatcher()`` is moto's server app remembering which service a host
name is: moto looks it up on every request by listing its own package
folder (hundreds of ``stat`` calls) and matching hundreds of URL patterns.
``apply()`` also remembers the action names of each response class, which
moto lists with ``inspect.getmembers`` on every request, and reads the clock
cheaply for SQS: moto asks every message on the queue whether it is visible
or delayed several times per ReceiveMessage, each time through a datetime
round trip (~30 µs), so a mail backlog of 2,000 jobs made one receive and
delete of 5 cost 4 s, and the whole emulator (one request at a time) with it.

moto lists a table's items for every Query and Scan sorted by key, and
compares the keys through ``DynamoType.__lt__``, which converts both values
on every comparison: with 60,000 items after a long load run, one Query on
the outbox index (the sweeper's, every minute) held the emulator for
seconds. ``apply()`` sorts by the converted values, taken once per item:
the same order.

moto's backends are not thread-safe, so requests take turns (``TURNS``,
held by ``local.aws_process.SerializedApp`` around each request). An SQS
long poll waits outside the turns, and ``apply()`` makes its every look at
the queue take a turn: moto's ReceiveMessage picks visible messages without
a lock, so two pollers receiving at once could get the same message, which
SQS never hands out twice within its visibility timeout.

The functions' code and their requests are unchanged: this is the
emulator's business.
"""

import copy
import functools
import threading
import time

_state = threading.local()  # .active: a patched transaction is running on this thread
# One request in moto's backends at a time. Re-entrant: a request already in
# its turn may reach the patched ReceiveMessage (a query-protocol receive, or
# moto's own receive after a send to a queue with an event source mapping).
TURNS = threading.RLock()


def _table_deepcopy(table, memo):
    """A Table's deep copy: itself inside a patched transaction (whose backup
    is per item), a real deep copy anywhere else (e.g. a table backup)."""
    if getattr(_state, "active", False):
        return table
    return copy._reconstruct(table, memo, *table.__reduce_ex__(4))  # deepcopy's default


def _touched_keys(backend, transact_items: list) -> list[tuple[str, dict]]:
    """(table name, key) of every item the transaction writes or checks."""
    found = []
    for entry in transact_items:
        for op in entry.values():
            table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
            if table is None:
                continue
            if "Item" in op:
                names = [n for n in (table.hash_key_attr, table.range_key_attr) if n]
                key = {n: op["Item"][n] for n in names if n in op["Item"]}
            else:
                key = op.get("Key") or {}
            found.append((table.name, key))
    return found


def _snapshot(backend, keys: list[tuple[str, dict]]) -> list[tuple[str, dict, dict | None]]:
    """A copy of each named item's attributes as they are now (None: absent)."""
    saved = []
    for table_name, key in keys:
        try:
            item = backend.get_item(table_name, key)
        except Exception:  # a malformed key: moto's own validation will refuse it
            continue
        saved.append((table_name, key, copy.deepcopy(item.to_json()["Attributes"])
                      if item is not None else None))
    return saved


def _restore(backend, saved: list[tuple[str, dict, dict | None]]) -> None:
    for table_name, key, attributes in reversed(saved):
        if attributes is not None:
            backend.put_item(table_name, attributes)
        elif backend.get_item(table_name, key) is not None:
            backend.delete_item(table_name, key)


def _all_items(table) -> list:
    """moto's ``Table.all_items``: every item in key order, each key's value
    converted once (not on every comparison)."""
    items = [item for hash_set in table.items.values()
             for item in (hash_set.values() if table.range_key_attr else [hash_set])]
    return sorted(items, key=_key_order)


def _key_order(item):
    if item.range_key:
        return item.hash_key.cast_value, item.range_key.cast_value
    return item.hash_key.cast_value


def apply():
    """Patch moto's DynamoDB transactions; returns a function that undoes it."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    from moto.core import responses
    from moto.sqs.models import Message, SQSBackend

    original = DynamoDBBackend.transact_write_items
    if getattr(original, "per_item_backup", False):
        return lambda: None
    method_names = responses.method_names_from_class
    visible, delayed = Message.visible, Message.delayed
    receive = SQSBackend.receive_message
    listed = Table.all_items

    def transact_write_items(self, transact_items):
        saved = _snapshot(self, _touched_keys(self, transact_items))
        _state.active = True
        try:
            return original(self, transact_items)
        except Exception:
            _restore(self, saved)
            raise
        finally:
            _state.active = False

    def receive_message(self, queue_name, count, wait_seconds_timeout, visibility_timeout,
                        message_attribute_names=None):
        """moto's receive, each look at the queue in a turn; the long poll
        waits between looks without one."""
        deadline = time.monotonic() + (wait_seconds_timeout or 0)
        while True:
            with TURNS:
                found = receive(self, queue_name, count, 0, visibility_timeout,
                                message_attribute_names)
            left = deadline - time.monotonic()
            if found or left <= 0:
                return found
            self.get_queue(queue_name).wait_for_messages(min(1.0, left))

    def undo() -> None:
        DynamoDBBackend.transact_write_items = original
        del Table.__deepcopy__
        responses.method_names_from_class = method_names
        Message.visible, Message.delayed = visible, delayed
        SQSBackend.receive_message = receive
        Table.all_items = listed

    transact_write_items.per_item_backup = True
    Table.__deepcopy__ = _table_deepcopy
    responses.method_names_from_class = functools.cache(method_names)  # classes never change
    # The same comparisons as moto's, in epoch milliseconds from time.time().
    Message.visible = property(lambda message: time.time() * 1000 > message.visible_at)
    Message.delayed = property(lambda message: time.time() * 1000 < message.delayed_until)
    DynamoDBBackend.transact_write_items = transact_write_items
    SQSBackend.receive_message = receive_message
    Table.all_items = _all_items
    return undo


def dispatcher():
    """moto's WSGI app (``DomainDispatcherApplication``) with the service of
    each host name looked up once."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    class Dispatcher(DomainDispatcherApplication):
        def __init__(self):
            super().__init__(create_backend_app)
            self.known_hosts: dict = {}

        def get_backend_for_host(self, host):  # called under self.lock
            if host not in self.known_hosts:
                self.known_hosts[host] = super().get_backend_for_host(host)
            return self.known_hosts[host]

    return Dispatcher()
