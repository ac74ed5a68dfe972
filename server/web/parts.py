"""A large answer written as the parts it is kept in: the monitor's board is joined in pieces
(services/monitor/board.py), and the API and the monitor page both answer with them, as they are
or gzipped. A Packed part is compressed once, when first sent after it changed; a request then
compresses only its small parts (the figures, the people) and writes the rest as kept."""
import struct
import zlib

LEVEL = 6  # as Tornado's compress_response and gzip(1): a piece is compressed once, not per request
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS
LAST_BLOCK = b"\x03\x00"  # an empty final block: what ends every deflate stream below
LARGE = 65536


class Packed:
    """A byte string that is sent in many answers, with its raw deflate made on first use and cut
    with a sync flush: deflate streams cut that way follow each other into one valid stream."""
    __slots__ = ("raw", "_deflated")

    def __init__(self, raw):
        self.raw = raw
        self._deflated = None

    def __len__(self):
        return len(self.raw)

    @property
    def deflated(self):
        if self._deflated is None:
            self._deflated = deflate(self.raw)
        return self._deflated


def deflate(data):
    """`data` as raw deflate ending in a sync flush (no final block)."""
    squeezer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return squeezer.compress(data) + squeezer.flush(zlib.Z_SYNC_FLUSH)


def raw(part):
    return part.raw if isinstance(part, Packed) else part


def joined(parts):
    """The answer as one byte string (tests, and clients that take no gzip)."""
    return b"".join(raw(part) for part in parts)


def gzipped(parts):
    """The parts as one gzip stream, as a list of byte strings: the Packed ones' deflate as kept,
    the small ones between them compressed now; the checksum runs over the raw bytes (zlib's
    crc32 reads ~4 GB/s: ~1.5 ms for a board of 10,000 tasks)."""
    out, small, crc, size = [GZIP_HEADER], [], 0, 0
    for part in parts:
        data = raw(part)
        crc, size = zlib.crc32(data, crc), size + len(data)
        if isinstance(part, Packed):
            if small:
                out.append(deflate(b"".join(small)))
                small = []
            out.append(part.deflated)
        else:
            small.append(part)
    if small:
        out.append(deflate(b"".join(small)))
    out.append(LAST_BLOCK + struct.pack("<II", crc, size & 0xFFFFFFFF))
    return out


def accepts_gzip(handler):
    return "gzip" in handler.request.headers.get("Accept-Encoding", "")


def write_parts(handler, parts, compress=None):
    """Answer the parts in order with a Content-Length, gzipped when the client takes it (and
    `compress` is not False), handing each large one to the stream as it is: joining ~27 MB per
    request costs more than the rest of the answer. Vary is Tornado's (compress_response)."""
    if compress is None:
        compress = accepts_gzip(handler)
    if compress:
        handler.set_header("Content-Encoding", "gzip")
        parts = gzipped(parts)
    else:
        parts = [raw(part) for part in parts]
    handler.set_header("Content-Length", sum(len(part) for part in parts))
    small = []
    for part in parts:
        if len(part) < LARGE:
            small.append(part)
            continue
        handler.write(b"".join(small))
        handler.flush()  # the headers, then what was gathered: copied, but small
        handler.write(part)
        handler.flush()  # one part: joined alone, a part is passed on, not copied
        small = []
    handler.finish(b"".join(small))
