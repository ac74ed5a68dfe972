"""How times and states read in the app, as plain strings (no widgets): due dates, durations,
the stopwatch, what blocks a task and what was tracked on it."""
from datetime import datetime


def parse_time(text):
    return datetime.fromisoformat(text) if text else None


def due_text(due):
    """'Due Mon 30 Nov, 14:00' in local time."""
    return "Due " + due.astimezone().strftime("%a %d %b, %H:%M")


def clock_text(seconds):
    """Elapsed time as a stopwatch shows it: 0:07:05."""
    seconds = max(0, int(seconds))
    return "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


def minutes_text(minutes):
    """A total in words: "2 h", "2 h 05 min", "35 min"."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    if not hours:
        return "%d min" % rest
    return "%d h %02d min" % (hours, rest) if rest else "%d h" % hours


def duration_text(seconds):
    """`minutes_text` of whole minutes in `seconds`."""
    return minutes_text(max(0, int(seconds)) // 60)


def blocked_text(task):
    """"Blocked by #4, #9" while open predecessors remain, else ""."""
    ids = task.get("blocked_by") or []
    return "Blocked by " + ", ".join("#%d" % i for i in ids) if ids else ""


def tracked_text(task):
    """"Tracked 1 h 20 min of 3 h", "Estimate 3 h" before any time, "" with neither."""
    tracked, estimate = task.get("tracked_minutes") or 0, task.get("estimate_minutes")
    if not tracked:
        return "  ·  Estimate " + minutes_text(estimate) if estimate else ""
    text = "  ·  Tracked " + minutes_text(tracked)
    return text + " of " + minutes_text(estimate) if estimate else text


# Why the server refused a change, in words a person acts on (the server's own reason otherwise).
REFUSAL_WORDS = {
    "locked": "Too old to record: ask an admin or your lead to add it.",
    "period_locked": "Too old to record (that period is closed): ask an admin or your lead to "
                     "add it.",
    "overlap": "It overlaps time already recorded: check today's entries, then ask an admin or "
               "your lead to add it if it is missing.",
}


def refusal_text(what, held):
    """'Time recorded on “Fix tax” was not saved: Too old to record: …'."""
    reason = REFUSAL_WORDS.get(held.get("refused_code")) or held.get("refused_reason") or ""
    return "%s was not saved: %s" % (what, reason)
