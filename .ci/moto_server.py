"""The local AWS endpoint for tests and the demo: moto's server, one request at a time.

moto's threaded server lets two requests change the same table at once, and its transactions are not
isolated from each other (concurrent TransactWriteItems can interleave, or fail with "dictionary changed
size during iteration"). DynamoDB applies each request atomically; so does this endpoint, by handling
requests one after another while still accepting many connections.

moto backs a transaction up by deep-copying every table it names, once for each of its items, so a
transaction's cost grew with the table: more than half a second each by the end of the demo. Here a
transaction saves only the items it names and the length of the table's stream, and puts them back if it is
cancelled; with requests handled one at a time, nothing else can have changed them meanwhile.

moto also keeps every model object it ever made for its state API, DynamoDB items and the copies each
transaction takes included, so a long test run grows without bound and the state API slows down with it.
Only SES's and SNS's objects are kept here: the tests read what was sent from them. moto drops an SES v2
message's attachments, so their names and sizes are kept on the message here.

The rest is moto doing the same work again on every request, which made the endpoint most of a test run's
CPU: each change below gives moto's own answer, with less work (`py-spy` or `cProfile` on this server shows
where its time goes).
"""

import argparse
import threading

from moto.core.common_models import BaseModel
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

INSPECTED_SERVICES = {"ses", "sesv2", "sns"}


def _new_model(cls, *args, **kwargs):
    instance = object.__new__(cls)
    if cls.__module__.split(".")[1] in INSPECTED_SERVICES:
        cls.instances_tracked.append(instance)
    return instance


BaseModel.__new__ = staticmethod(_new_model)


def _keeping_attachments():
    """moto's SES v2 drops a simple message's attachments; tests read their names and sizes from here."""
    import base64
    import json

    from moto.ses.models import Message
    from moto.sesv2.responses import SESV2Response

    send = SESV2Response.send_email

    def send_email(self):
        answer = send(self)
        attached = json.loads(self.body).get("Content", {}).get("Simple", {}).get("Attachments", [])
        if attached:
            message_id = json.loads(answer)["MessageId"]
            for message in Message.instances_tracked:
                if message.id == message_id:
                    message.attachments = [
                        {
                            "file_name": a.get("FileName"),
                            "content_type": a.get("ContentType"),
                            "size": len(base64.b64decode(a.get("RawContent", ""))),
                            "pdf": base64.b64decode(a.get("RawContent", ""))[:5] == b"%PDF-",
                        }
                        for a in attached
                    ]
        return answer

    SESV2Response.send_email = send_email


_keeping_attachments()


def _transactions_saving_only_their_items():
    import copy

    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    transact = DynamoDBBackend.transact_write_items

    def saved_items(backend, transact_items):
        saved = []
        for entry in transact_items:
            try:
                _, op = next(iter(entry.items()))
                table = backend.tables[op["TableName"]]
                keys = op.get("Key") or op["Item"]
                hash_key, range_key = backend.get_keys_value(table, keys)
            except Exception:
                continue
            current = table.get_item(hash_key, range_key)
            saved.append((table, hash_key, range_key, copy.deepcopy(current)))
        streams = {
            id(table): (table, len(table.stream_shard.items))
            for table, *_ in saved
            if table.stream_shard is not None
        }
        return saved, streams.values()

    def put_back(saved, streams):
        for table, hash_key, range_key, item in reversed(saved):
            if table.range_key_attr:
                if item is None:
                    table.items[hash_key].pop(range_key, None)
                else:
                    table.items[hash_key][range_key] = item
            elif item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
        for table, length in streams:
            del table.stream_shard.items[length:]

    def transact_write_items(self, transact_items):
        saved, streams = saved_items(self, transact_items[:100])
        # moto's own backup copies become the tables themselves: what it would restore is what is kept.
        Table.__deepcopy__ = lambda table, memo: table
        try:
            return transact(self, transact_items)
        except Exception:
            put_back(saved, streams)
            raise
        finally:
            del Table.__deepcopy__

    DynamoDBBackend.transact_write_items = transact_write_items


_transactions_saving_only_their_items()


def _queries_reading_only_what_they_can_return():
    """moto sorts every item of a table on each query, then keeps those of the one partition asked for.

    With a table shared by a whole test run that is most of the endpoint's time. A query of the table reads
    its one partition here, and a query of an index reads the items unsorted: moto sorts what matched by the
    index's keys and the table's own afterwards, which orders them completely, so the answer is the same.
    """
    from moto.dynamodb.models.table import Table

    query = Table.query

    def partition(table, hash_key):
        found = table.items.get(hash_key) if hash_key is not None else None
        if found is None:
            return []
        return list(found.values()) if table.range_key_attr else [found]

    def unsorted(table):
        if table.range_key_attr:
            return [item for items in table.items.values() for item in items.values()]
        return list(table.items.values())

    def reading_less(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        items = unsorted(self) if index_name else partition(self, hash_key)
        # Requests are handled one at a time, so the table's own reader is swapped for this query alone.
        self.all_items = lambda: items
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = reading_less


_queries_reading_only_what_they_can_return()


def _without_repeated_work():
    """What moto repeats on every request without need, each giving the same answer once done once.

    - Finding the service a request is for lists moto's own package folder from disk, every time.
    - Writing an answer looks up each member of each item's attributes under up to five spellings, building
      them afresh each time; for a plain dict the spellings depend only on the model's shapes, so they are
      worked out once per member.
    - Projecting an item onto an index converts the whole item once for every attribute projected.
    - Making an item adds up the size of all its attributes again for each one it adds.
    - Checking an update expression rebuilds tables and recounts clauses at every node of its tree.
    """
    import copy

    from moto import backends
    from moto.core import serialize
    from moto.core.utils import MISSING, get_value
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, UpdateExpression
    from moto.dynamodb.parsing.validators import ActionCountValidator

    modules = frozenset(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules

    picker = serialize.XFormedAttributePicker
    pick = picker.__call__
    spellings = {}

    def picked(self, context):
        obj = context.obj
        if type(obj) is not dict or self.response_transformers:
            return pick(self, context)
        shape = context.shape
        parent = getattr(shape, "parent", None)
        member = (
            context.service_model.service_name if context.service_model else None,
            parent.name if parent is not None else None,
            shape.name if shape is not None else None,
            context.key,
        )
        keys = spellings.get(member)
        if keys is None:
            keys = spellings[member] = tuple(self.get_possible_keys(context))
        for key in keys:
            value = get_value(obj, key, MISSING) if "." in key else obj.get(key, MISSING)
            if value is not MISSING:
                return value
        return None

    picker.__call__ = picked

    project_any = Item.project

    def project(self, projection_expressions):
        # An index projects top-level attributes only, which are copied as they are; moto's own way converts the
        # whole item to plain JSON and back for each one, and stays for any nested path.
        if not all(len(path) == 1 for path in projection_expressions):
            return project_any(self, projection_expressions)
        projected = Item.__new__(Item)
        projected.hash_key, projected.range_key = self.hash_key, self.range_key
        # Filled whole, a LimitedSizeDict checks no size: the item it comes from was checked.
        projected.attrs = LimitedSizeDict(
            {name: copy.deepcopy(self.attrs[name]) for (name,) in projection_expressions if name in self.attrs}
        )
        return projected

    Item.project = project

    def new_item(self, hash_key, range_key, attrs):
        # Sizes only grow as attributes are added, so checking the whole item once is checking every step.
        self.hash_key, self.range_key = hash_key, range_key
        self.attrs = LimitedSizeDict({key: DynamoType(value) for key, value in attrs.items()})
        if self.size() > 405000:
            raise ItemSizeTooLarge

    Item.__init__ = new_item

    # Each of an update expression's ten checks walks its whole tree, asking at every node which kinds of node
    # it handles by building that table again; the kinds are fixed per check.
    kinds = {}

    def handled(self):
        found = kinds.get(type(self))
        if found is None:
            found = kinds[type(self)] = tuple(self._processing_map().keys())
        return found

    DepthFirstTraverser.nodes_to_be_processed = handled

    # The count of SET, ADD and REMOVE clauses was taken again at every clause, over all the clauses after it;
    # the whole expression holds every clause, so counting there once finds any excess the parts would.
    def counted_once(self, node):
        if isinstance(node, UpdateExpression):
            return self.verify_action_counts(node)
        return count_actions(self, node)

    count_actions = ActionCountValidator.traverse
    ActionCountValidator.traverse = counted_once


_without_repeated_work()


def serialised(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            return list(app(environ, start_response))

    return handle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialised(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
