"""The access log: one line per request on stderr, in the logging module's format but without its
cost per record (a LogRecord, handler locks, a write and a flush for every request).

Lines are gathered and written together once per turn of the event loop, so a busy loop makes one
write for many requests; nothing waits longer than the turn it was logged in."""
import asyncio
import sys
import time


def redacted(request):
    """The path, and of the query only the names: a query value may be a secret (a calendar feed
    token, say), and a log is read by more people than the database. A feed's token is its path."""
    if request.path.startswith("/calendar/"):
        return "/calendar/<token>.ics"
    if request.path.startswith("/unsubscribe/"):
        return "/unsubscribe/<token>"
    if not request.query:
        return request.path
    names = (part.split("=", 1)[0] for part in request.query.split("&") if part)
    return request.path + "?" + "&".join(name + "=" for name in names)


class AccessLog:
    """Tornado's `log_function`: `status METHOD uri (address) time` like tornado.access."""

    def __init__(self, stream=None, clock=time.time):
        self.stream = stream
        self.clock = clock
        self._lines = []
        self._second, self._prefix = None, ""

    def __call__(self, handler):
        status, request = handler.get_status(), handler.request
        level = "INFO" if status < 400 else "WARNING" if status < 500 else "ERROR"
        self._lines.append("%s %s tornado.access: %d %s %s (%s) %.2fms\n" % (
            self._stamp(), level, status, request.method, redacted(request), request.remote_ip,
            1000.0 * request.request_time()))
        if len(self._lines) == 1:
            asyncio.get_running_loop().call_soon(self.flush)

    def _stamp(self):
        now = self.clock()
        second = int(now)
        if second != self._second:  # strftime once a second, not once a request
            self._second = second
            self._prefix = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        return "%s,%03d" % (self._prefix, (now - second) * 1000)

    def flush(self):
        stream = self.stream or sys.stderr  # looked up late: tests and daemons swap stderr
        text, self._lines = "".join(self._lines), []
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: losing log lines must not fail requests
            pass
