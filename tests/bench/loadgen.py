"""A cheap HTTP/1.1 load generator: raw asyncio streams, keep-alive, one request in flight per client."""
import asyncio
import json
import resource
import statistics
import time


def _request(method, path, headers, body):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: bench"]
    lines += ["%s: %s" % kv for kv in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", "Content-Length: %d" % len(body)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _client(port, make_request, deadline, latencies, statuses):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = 0
    try:
        while time.perf_counter() < deadline:
            method, path, headers, body = make_request(n)
            n += 1
            started = time.perf_counter()
            writer.write(_request(method, path, headers, body))
            status, _ = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


def run(port, make_request, clients=50, seconds=5.0):
    """Drive `clients` keep-alive connections for `seconds`; returns a figures dict.

    make_request(client_index) -> function(n) -> (method, path, headers, body bytes or None)."""
    latencies, statuses = [], {}
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)

    async def main():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*[_client(port, make_request(i), deadline, latencies, statuses)
                               for i in range(clients)])

    started = time.perf_counter()
    asyncio.run(main())
    elapsed = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "statuses": statuses,
        "loadgen_cpu": ((cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)) / elapsed,
    }


def json_body(obj):
    return json.dumps(obj).encode()
