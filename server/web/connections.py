"""The HTTP server in front of the app: timeouts for slow bodies and idle sockets, and a cap on
the connections one address may hold open (a slow-loris from one host cannot fill the process)."""
import collections
import logging

import tornado.httpserver

log = logging.getLogger("tracker.api")


class CappedHTTPServer(tornado.httpserver.HTTPServer):
    """HTTPServer that refuses a connection beyond `max_per_address` from one peer address (0:
    no cap). Behind a reverse proxy every connection comes from the proxy: cap there instead."""

    def initialize(self, *args, max_per_address=0, **kwargs):  # Configurable: no __init__
        super().initialize(*args, **kwargs)
        self.max_per_address = max_per_address
        self.held = collections.Counter()
        self.peer_of = {}

    def handle_stream(self, stream, address):
        peer = address[0] if isinstance(address, tuple) else str(address)
        if self.max_per_address and self.held[peer] >= self.max_per_address:
            log.warning("refused a connection from %s: %d already open", peer, self.held[peer])
            stream.close()
            return
        self.held[peer] += 1
        self.peer_of[stream] = peer
        super().handle_stream(stream, address)

    def on_close(self, server_conn):
        peer = self.peer_of.pop(server_conn.stream, None)
        if peer is not None:
            self.held[peer] -= 1
            if self.held[peer] <= 0:
                del self.held[peer]
        super().on_close(server_conn)


def make_server(app, settings):
    """The server `python -m server serve` listens with (the settings name every limit)."""
    return CappedHTTPServer(app, xheaders=settings["xheaders"],
                            max_body_size=settings["max_body_bytes"],
                            body_timeout=settings["body_timeout_seconds"],
                            idle_connection_timeout=settings["idle_connection_seconds"],
                            max_per_address=settings["max_connections_per_address"])
