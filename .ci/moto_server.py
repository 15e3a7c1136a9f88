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
