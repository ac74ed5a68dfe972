"""The board's answers as bytes: /api/admin/task-status/ and the monitor's snapshot.json, joined
from task objects serialized once (services/monitor/board.py keeps them) without parsing them."""
import orjson

from server.services.reports.statistics import summary_of


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
    """The joined JSON of consecutive tasks: their objects, their recent updates keyed by task
    id (empty when none has any), and their counts."""
    __slots__ = ("tasks", "recent", "counts")

    def __init__(self, members, recent):
        self.tasks = b",".join(entry.data for _id, entry in members)
        self.recent = b",".join(b'"%d":%s' % (task_id, recent[task_id])
                                for task_id, _entry in members if task_id in recent)
        self.counts = summary_of((e.status, e.overdue, e.at_risk, e.stale) for _id, e in members)


def summed(pieces):
    """The summary of the whole board from its pieces' counts."""
    total = dict.fromkeys(pieces[0].counts, 0) if pieces else summary_of(())
    for piece in pieces:
        for name, count in piece.counts.items():
            total[name] += count
    return total


def snapshot_parts(pieces, cursor, employees_json, recent=True):
    """The task-status body (with `recent`, the monitor's data: plus each task's recent updates
    by task id) as a list of byte strings, the large ones the pieces' own."""
    out = [b'{"tasks":[']
    out += _between([piece.tasks for piece in pieces])
    out += [b'],"summary":', orjson.dumps(summed(pieces)), b',"employees":', employees_json,
            b',"cursor":%d' % cursor]
    if recent:
        out.append(b',"recent":{')
        out += _between([piece.recent for piece in pieces if piece.recent])
        out.append(b"}")
    out.append(b"}")
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
    return b"".join(snapshot_parts(pieces, cursor, employees_json))
