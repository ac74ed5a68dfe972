"""A real webhook receiver: an HTTP server in a thread on a free port, recording what arrives."""
import base64
import hashlib
import hmac
import http.server
import threading
import time

from .server import free_port


def verify(secret, headers, body):
    """The receiver side of Standard Webhooks, as docs/integrations.md shows it."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = b"%s.%s.%s" % (headers["webhook-id"].encode(), headers["webhook-timestamp"].encode(), body)
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest("v1," + expected, sig)
               for sig in headers["webhook-signature"].split())


class Receiver:
    """Records each request (headers, body); answers `status`, optionally a huge body, optionally
    holding the answer until `gate` is set."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.requests, self.statuses = [], []  # statuses: answers to give, in order, then 200
        self.huge_body = False
        self.gate = None
        self.changed = threading.Condition()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self.port

    def _handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.changed:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.changed.notify_all()
                if receiver.gate is not None:
                    receiver.gate.wait(30)
                self.send_response(status)
                if receiver.huge_body:
                    return self._huge()
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def _huge(self):
                self.send_header("Content-Length", str(50 * 2**20))
                self.end_headers()
                try:
                    for _ in range(50 * 16):
                        self.wfile.write(b"x" * 65536)
                except OSError:
                    pass  # the sender stopped reading, as it should

            def log_message(self, *args):
                pass

        return Handler

    def wait_for(self, count, timeout=30):
        """The first `count` requests, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                assert left > 0, "receiver got %d of %d requests" % (len(self.requests), count)
                self.changed.wait(left)
            return list(self.requests[:count])

    def close(self):
        if self.gate is not None:
            self.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()
