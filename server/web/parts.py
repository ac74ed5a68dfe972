"""A large answer written as the parts it is kept in: the monitor's board is joined in pieces
(services/monitor/board.py), and the API and the monitor page both answer with them."""


def write_parts(handler, parts):
    """Answer the byte strings in order with a Content-Length, handing each large one to the
    stream as it is: joining ~27 MB per request costs more than the rest of the answer."""
    handler.set_header("Content-Length", sum(len(part) for part in parts))
    small = []
    for part in parts:
        if len(part) < 65536:
            small.append(part)
            continue
        handler.write(b"".join(small))
        handler.flush()  # the headers, then what was gathered: copied, but small
        handler.write(part)
        handler.flush()  # one part: joined alone, a part is passed on, not copied
        small = []
    handler.finish(b"".join(small))
