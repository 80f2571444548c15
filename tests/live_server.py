"""The app served over HTTP on 127.0.0.1 for browser tests."""

import contextlib
import threading
from collections.abc import Iterator

from werkzeug.serving import WSGIRequestHandler, make_server


class OneRequestPerConnection(WSGIRequestHandler):
    """No keep-alive: a beacon never lands on a connection the server is closing."""

    protocol_version = "HTTP/1.0"


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` in a background thread; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=OneRequestPerConnection)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()
