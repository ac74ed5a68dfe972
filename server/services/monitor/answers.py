"""The board's answers as bytes: /api/admin/task-status/ and the monitor's snapshot.json, joined
from task objects serialized once (services/monitor/board.py keeps them) without parsing them."""
import orjson

from server.services.reports.statistics import summary_of
from server.web.parts import Packed, joined


def answer(entries, cursor, employees, **more):
    """The task-status body as bytes: the same JSON the objects would serialize to; `more` adds
    keys after the cursor (the groups)."""
    extra = b"".join(b',"%s":%s' % (name.encode(), orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))
                     for name, value in more.items())
    return b"".join((b'{"tasks":[', b",".join(entry.data for entry in entries), b'],"summary":',
                     orjson.dumps(summary_of((e.status, e.overdue, e.at_risk, e.stale) for e in entries)),
                     b',"employees":', orjson.dumps(employees),
                     b',"cursor":%d' % cursor, extra, b"}"))


class Piece:
    """The joined JSON of consecutive tasks: their objects, their cards' fields, and their
    counts; the JSON as Packed parts, gzipped once."""
    __slots__ = ("tasks", "cards", "counts")

    def __init__(self, members):
        self.tasks = Packed(b",".join(entry.data for _id, entry in members))
        self.cards = Packed(b",".join(entry.card for _id, entry in members))
        self.counts = summary_of((e.status, e.overdue, e.at_risk, e.stale) for _id, e in members)


def summed(pieces):
    """The summary of the whole board from its pieces' counts."""
    total = dict.fromkeys(pieces[0].counts, 0) if pieces else summary_of(())
    for piece in pieces:
        for name, count in piece.counts.items():
            total[name] += count
    return total


def snapshot_parts(pieces, cursor, employees_json, cards=False):
    """The task-status body (with `cards`, the monitor's first answer: each task's card fields
    instead of its object) as a list of parts: byte strings, and the pieces' own Packed ones."""
    out = [b'{"tasks":[']
    out += _between([piece.cards if cards else piece.tasks for piece in pieces])
    out += [b'],"summary":', orjson.dumps(summed(pieces)), b',"employees":', employees_json,
            b',"cursor":%d' % cursor, b"}"]
    return out


def _between(parts):
    """parts with b"," between them."""
    out = []
    for part in parts:
        if out:
            out.append(b",")
        out.append(part)
    return out


def snapshot(pieces, cursor, employees_json):
    """The monitor's data as one byte string (tests; the handler writes the parts)."""
    return joined(snapshot_parts(pieces, cursor, employees_json, cards=True))


def updates(found):
    """The answer of the monitor's updates read: {"updates": {task id: [audit row, newest
    first]}} from {task id: JSON} (services/monitor/board.py recent_of)."""
    return b'{"updates":{%s}}' % b",".join(b'"%d":%s' % item for item in found.items())
