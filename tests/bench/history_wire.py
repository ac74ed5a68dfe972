"""What the admin's pages bring over the wire at a year's size (tests/bench/history.py --bytes).

The statistics page and the task page load in Chromium with a cold cache on the office line
(monitor_wire.OFFICE): the bytes received (CDP Network.loadingFinished, gzip as the server
sends it) until the page's data is drawn, then until it is quiet, and the same responses'
uncompressed size (their headers plus CDP's decoded dataLength); the task with the most audit
rows too, whose trail is then paged through its "Older updates" link. Each read history.py lists,
and each page's live refresh, is also fetched alone with gzip and with `Accept-Encoding:
identity`: its body bytes both ways."""
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from bench.monitor_wire import OFFICE, Wire
from support.browser import CHROMIUM, CHROMIUM_ARGS, sign_in

# The page's data on screen, its scripts run: the moment (ms from navigation start) it holds.
DRAWN = {
    "statistics page": "document.readyState === 'complete'"
                       " && document.querySelector('#employee-table tbody tr')",
    "task page": "document.readyState === 'complete' && document.querySelector('#audit tbody tr')"
                 " && !document.querySelector('#comments [data-ref=empty]').textContent.includes('…')",
}


@dataclass
class Response:
    path: str
    encoding: str  # Content-Encoding, "-" for none
    headers: int   # bytes: what Network.responseReceived counts as received so far
    body: int = 0  # bytes decoded (CDP's dataLength)


class Load(NamedTuple):
    at: float      # ms from navigation start to the page's data drawn
    before: int    # wire bytes by then
    count: int     # responses finished by then
    quiet: int     # wire bytes once the network is idle


class Decoded:
    """Each finished response of the page, in order, with its size uncompressed."""

    def __init__(self, cdp):
        self.started, self.finished = {}, []
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        response, headers = event["response"], {}
        if not response["url"].startswith("http"):
            return  # a data: URL inside a stylesheet crosses no wire
        for name, value in response["headers"].items():
            headers[name.lower()] = value
        self.started[event["requestId"]] = Response(urlsplit(response["url"]).path, headers.get(
            "content-encoding", "-"), response.get("encodedDataLength", 0))

    def _data(self, event):
        if event["requestId"] in self.started:
            self.started[event["requestId"]].body += event["dataLength"]

    def _finished(self, event):
        if event["requestId"] in self.started:
            self.finished.append(self.started.pop(event["requestId"]))

    def total(self, upto=None):
        """Uncompressed bytes (headers + body) of the first `upto` finished responses."""
        return sum(done.headers + done.body for done in self.finished[:upto])


def load(page, wire, decoded, url, drawn):
    """A cold load of `url` until `drawn` holds, then until the network is idle."""
    wire.cdp.send("Network.clearBrowserCache")
    wire.reset()
    decoded.finished = []
    page.goto(url)
    at = page.wait_for_function("() => (%s) && performance.now()" % drawn, timeout=120000).json_value()
    before, count = wire.total(), len(decoded.finished)
    page.wait_for_load_state("networkidle")
    return Load(at, before, count, wire.total())


def show_load(name, loads, decoded):
    """The median time to drawn; the bytes, and each response, of the last load."""
    at, last = sorted(one.at for one in loads)[len(loads) // 2], loads[-1]
    print("  %-18s drawn at %6.0f ms; wire %8.1f KB by then (uncompressed %8.1f KB), %8.1f KB once "
          "quiet (uncompressed %8.1f KB)" % (name, at, last.before / 1e3, decoded.total(last.count) / 1e3,
                                             last.quiet / 1e3, decoded.total() / 1e3))
    for done in decoded.finished:
        print("    %-60s %-5s body %8.1f KB decoded" % (done.path[:60], done.encoding, done.body / 1e3))


def older_pages(page, wire):
    """Follow "Older updates" until it is gone: [(rows shown, wire bytes of the fetch)]."""
    steps = [(page.locator("#audit tbody tr").count(), 0)]
    while page.locator("#older-updates").count():
        wire.reset()
        page.click("#older-updates")
        page.wait_for_function("n => document.querySelectorAll('#audit tbody tr').length > n"
                               " || !document.querySelector('#older-updates')", arg=steps[-1][0])
        page.wait_for_load_state("networkidle")
        steps.append((page.locator("#audit tbody tr").count(), wire.total()))
    return steps


def pages(plan, busiest):
    """(name, path, drawn) of each page loaded: the two the plan names, the busiest task's."""
    found = [(name, path, DRAWN[name]) for name, _, path in plan if name in DRAWN]
    return found + [("task page, busiest", "/dashboard/tasks/%d/" % busiest, DRAWN["task page"])]


def refreshes(plan):
    """The partial answers the two pages fetch again on events (and the statistics each minute)."""
    paths = dict((name, path) for name, _, path in plan)
    return [("statistics page refresh", "page", paths["statistics page"] + "?partial=1&hours=24"),
            ("task page refresh", "page", paths["task page"] + "?partial=1")]


def browse(playwright, url, plan, busiest, loads=3):
    """The pages, `loads` cold loads each on the office line, then the busiest task's older pages."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        wire, decoded = Wire(cdp, OFFICE), Decoded(cdp)
        sign_in(page, url, next_path="/dashboard/tasks/statistics/")
        print("in Chromium %s, cold cache, office line (20 Mbit/s, 40 ms)" % chromium.version)
        for name, path, drawn in pages(plan, busiest):
            figures = [load(page, wire, decoded, url + path, drawn) for _ in range(loads)]
            show_load(name, figures, decoded)
        steps = older_pages(page, wire)
        print("  busiest task's audit trail: %d rows in the first answer; %s" % (steps[0][0], "; ".join(
            "Older updates -> %d rows shown (%.1f KB over the wire)" % (rows, size / 1e3)
            for rows, size in steps[1:]) or "no older page"))
    finally:
        chromium.close()


def fetched(get, path):
    """(body bytes with gzip as received, body bytes with identity, Content-Encoding) of a read."""
    zipped = get(path, headers={"Accept-Encoding": "gzip"}, stream=True)
    raw = zipped.raw.read(decode_content=False)
    plain = get(path, headers={"Accept-Encoding": "identity"})
    assert zipped.status_code == plain.status_code == 200, (path, zipped.status_code)
    return len(raw), len(plain.content), zipped.headers.get("Content-Encoding", "-")


def alone(getters, plan):
    """Each read fetched by itself, and the pages' refreshes: its body both ways, and the ratio."""
    print("each read alone (body bytes; requests, loopback)")
    for name, how, path in plan + refreshes(plan):
        zipped, plain, encoding = fetched(getters[how], path)
        print("  %-30s gzip %9.1f KB  identity %9.1f KB  ratio %5.1f  (%s)" % (
            name, zipped / 1e3, plain / 1e3, plain / max(zipped, 1), encoding))
