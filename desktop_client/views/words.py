"""How times and states read in the app, as plain strings (no widgets): due dates, durations,
the stopwatch, what blocks a task and what was tracked on it, in the app's language
(desktop_client/language: the server's own catalogs)."""
from datetime import datetime

from ..language import N_, _, current


def parse_time(text):
    return datetime.fromisoformat(text) if text else None


def due_text(due):
    """'Due Mon, 30 Nov, 14:00' in the person's time zone."""
    return _("Due %(when)s", when=current.moment(due, weekday=True))


def clock_text(seconds):
    """Elapsed time as a stopwatch shows it: 0:07:05."""
    seconds = max(0, int(seconds))
    return "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


def minutes_text(minutes):
    """A total in words: "2 h", "2 h 05 min", "35 min" (the server's words for it too)."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    if not hours:
        return _("%(minutes)d min", minutes=rest)
    if not rest:
        return _("%(hours)d h", hours=hours)
    return _("%(hours)d h %(minutes)02d min", hours=hours, minutes=rest)


def duration_text(seconds):
    """`minutes_text` of whole minutes in `seconds`."""
    return minutes_text(max(0, int(seconds)) // 60)


def blocked_text(task):
    """"Blocked by #4, #9" while open predecessors remain, else ""."""
    ids = task.get("blocked_by") or []
    return _("Blocked by %(tasks)s", tasks=", ".join("#%d" % i for i in ids)) if ids else ""


def tracked_text(task):
    """"Tracked 1 h 20 min of 3 h", "Estimate 3 h" before any time, "" with neither."""
    tracked, estimate = task.get("tracked_minutes") or 0, task.get("estimate_minutes")
    if not tracked:
        return "  ·  " + _("Estimate %(estimate)s", estimate=minutes_text(estimate)) if estimate else ""
    if estimate:
        return "  ·  " + _("Tracked %(tracked)s of %(estimate)s", tracked=minutes_text(tracked),
                           estimate=minutes_text(estimate))
    return "  ·  " + _("Tracked %(tracked)s", tracked=minutes_text(tracked))


# Why the server refused a change, in words a person acts on (the server's own reason otherwise).
REFUSAL_WORDS = {
    "locked": N_("Too old to record: ask an admin or your lead to add it."),
    "period_locked": N_("Too old to record (that period is closed): ask an admin or your lead to "
                        "add it."),
    "overlap": N_("It overlaps time already recorded: check today's entries, then ask an admin "
                  "or your lead to add it if it is missing."),
}


def refusal_text(what, held):
    """'Time recorded on “Fix tax” was not saved: Too old to record: …'."""
    words = REFUSAL_WORDS.get(held.get("refused_code"))
    reason = _(words) if words else held.get("refused_reason") or ""
    return _("%(what)s was not saved: %(reason)s", what=what, reason=reason)
