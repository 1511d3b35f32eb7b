# Runs moto_server with every DynamoDB operation under one lock. DynamoDB applies each item write and
# each transaction atomically and in isolation; moto's threaded server does not (a conditional write
# can interleave with another between its check and its write, and a cancelled transaction restores
# whole tables from a copy taken when it started, undoing writes made meanwhile). Signet's limits
# rest on those guarantees (e.g. the endpoint count written with the endpoint), so local mode and the
# tests give moto DynamoDB's atomicity. Under the lock a transaction whose conditions all hold cannot
# be cancelled, so it runs without moto's copy of its tables (a copy of a whole table per transaction
# made every transaction slower as the table grew). Arguments are moto_server's.
import functools
import sys
import threading

import moto.dynamodb.models as _models
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.models import DynamoDBBackend

_lock = threading.RLock()


def _atomic(operation):
    @functools.wraps(operation)
    def run(*args, **kwargs):
        with _lock:
            return operation(*args, **kwargs)

    return run


def _conditions_hold(backend, transact_items):
    for item in transact_items:
        op_type, op = next(iter(item.items()))
        condition = op.get("ConditionExpression")
        if condition is None:
            continue
        table = backend.get_table(op["TableName"])
        if op_type == "Put":
            attrs = op["Item"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
        else:
            key = op["Key"]
        current = backend.get_item(op["TableName"], key)
        expression = get_filter_expression(condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues"))
        if not expression.expr(current):
            return False
    return True


class _NoCopy:
    """Stands in for the copy module while a transaction that cannot be cancelled runs."""

    @staticmethod
    def deepcopy(value, memo=None):
        return value


_transact_write_items = DynamoDBBackend.transact_write_items


def _transact(self, transact_items):
    try:
        cannot_fail = _conditions_hold(self, transact_items)
    except Exception:  # noqa: BLE001 (moto answers it in its own way below)
        cannot_fail = False
    if not cannot_fail:
        return _transact_write_items(self, transact_items)
    saved = _models.copy
    _models.copy = _NoCopy
    try:
        return _transact_write_items(self, transact_items)
    finally:
        _models.copy = saved


DynamoDBBackend.transact_write_items = _transact
for _name, _value in list(vars(DynamoDBBackend).items()):
    if callable(_value) and not _name.startswith("_"):
        setattr(DynamoDBBackend, _name, _atomic(_value))

from moto.server import main  # noqa: E402  (after the patch, so the server uses it)

if __name__ == "__main__":
    main(sys.argv[1:])
