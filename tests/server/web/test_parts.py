"""Answers written as parts (server/web/parts.py): the gzip stream joined from pieces compressed
once is the answer, byte for byte, whatever the pieces and the small parts between them."""
import gzip
import os
import zlib

from server.web import parts


def test_a_gzip_joined_from_packed_pieces_inflates_to_the_joined_parts():
    pieces = [parts.Packed(os.urandom(700) + b'{"a":1}' * 9000), parts.Packed(b""),
              parts.Packed(b"x" * 200000)]
    answer = [b'{"tasks":[', pieces[0], b",", pieces[1], pieces[2], b'],"cursor":7}']
    body = b"".join(parts.gzipped(answer))
    assert gzip.decompress(body) == parts.joined(answer)
    assert zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(body) == parts.joined(answer)  # one member
    assert len(body) < len(parts.joined(answer)) / 10


def test_a_piece_is_compressed_once_and_reused():
    piece = parts.Packed(b"abc" * 1000)
    first = parts.gzipped([piece])
    assert piece.deflated is first[1] and parts.gzipped([b"[", piece, b"]"])[2] is first[1]


def test_only_small_parts_make_an_empty_enough_stream():
    assert gzip.decompress(b"".join(parts.gzipped([]))) == b""
    assert gzip.decompress(b"".join(parts.gzipped([b"{}"]))) == b"{}"
