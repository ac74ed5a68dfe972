"""WebSocket text frames built once per event, so fan-out writes the same bytes to every socket."""
import struct


def frame_header(length):
    """The header of an unmasked, final WebSocket text frame (server to client)."""
    if length < 126:
        return struct.pack("!BB", 0x81, length)
    if length <= 0xFFFF:
        return struct.pack("!BBH", 0x81, 126, length)
    return struct.pack("!BBQ", 0x81, 127, length)


def text_frame(payload):
    return frame_header(len(payload)) + payload


def chunks(frames, size):
    """Frames joined into pieces of about `size` bytes (one frame may exceed it)."""
    piece, length = [], 0
    for frame in frames:
        piece.append(frame)
        length += len(frame)
        if length >= size:
            yield b"".join(piece)
            piece, length = [], 0
    if piece:
        yield b"".join(piece)
