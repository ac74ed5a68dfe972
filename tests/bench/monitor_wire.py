"""What crosses the wire to a Chromium page, from CDP's Network domain (tests/bench/monitor.py):
each response's encoded bytes (Network.loadingFinished: headers and body as received, 0 from the
cache) and each WebSocket frame's payload, with the office line the page may be put on."""

OFFICE = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 20e6 / 8}


class Wire:
    def __init__(self, cdp, line=None):
        self.cdp = cdp
        self.urls = {}    # request id -> URL
        self.seen = []    # (URL, bytes) as they finish; "ws" for a WebSocket frame
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: self.seen.append(
            (self.urls.get(e["requestId"], ""), e["encodedDataLength"])))
        cdp.on("Network.webSocketFrameReceived", lambda e: self.seen.append(
            ("ws", len(e["response"]["payloadData"].encode()) + 4)))  # + the frame's header
        cdp.send("Network.enable")
        if line:
            cdp.send("Network.emulateNetworkConditions", line)

    def reset(self):
        self.seen = []

    def total(self, only=None, exclude=None):
        """Bytes seen since reset, of URLs holding `only`, or of those not holding `exclude`."""
        return sum(size for url, size in self.seen
                   if (only is None or only in url) and (exclude is None or exclude not in url))
