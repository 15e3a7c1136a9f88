"""The local AWS endpoint for tests and the demo: moto's server, one request at a time.

moto's threaded server lets two requests change the same table at once, and its transactions are not
isolated from each other (concurrent TransactWriteItems can interleave, or fail with "dictionary changed
size during iteration"). DynamoDB applies each request atomically; so does this endpoint, by handling
requests one after another while still accepting many connections.
"""

import argparse
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple


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
