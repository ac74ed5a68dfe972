"""One sentence per audit row, for every action kind: "Emma Schmidt set progress to 75 %",
"Timer stopped by Emma Schmidt after 25 min". No time inside (clients show it beside the sentence,
in local time), no ids, hashes or internal names. The notes that services write for their own
kinds are read back here: they are in the hash chain, so their wording stays as it was written.
Each sentence is a whole message (a Text: English here, said again in the reader's language by
the pages, the browser and the desktop from its `words`)."""
import datetime
import re

from server.store.models import AUDIT_ACTIONS
from server.services.language.text import _l

# The kinds whose notes are the person's own words (shown beside the sentence); the notes of
# every other kind were written by the server and are said by the sentence instead.
OWN_WORDS = ("progress", "complete")

STOPPED = re.compile(r"^Timer stopped \((\w+)\):.*?, (\d+) min$")
ADDED = re.compile(r"^Entry added \((\w+)\):.*?, (\d+) min$")
EDITED = re.compile(r"^Edited .*?, (\d+) min \(was .*?, (\d+) min\)$")
DELETED = re.compile(r"^Deleted .*?, (\d+) min$")
REASSIGNED = re.compile(r"^Reassigned from (\S+) to (\S+)$")
TASK_REF = re.compile(r"#(\d+)")
# "Title changed" and its kin, as edit notes name them.
FIELD_NAMES = {"Title": _l("the title"), "Description": _l("the description"),
               "Due date": _l("the due date"), "Priority": _l("the priority"),
               "Estimate minutes": _l("the estimate")}


def why_stopped(reason, who):
    """Why the server stopped a timer, in words; None for a reason it does not name."""
    return {"switch": _l("%(who)s started a timer on another task", who=who),
            "idle": _l("%(who)s went idle", who=who), "offline": _l("%(who)s went offline", who=who),
            "paused": _l("%(who)s paused", who=who), "deleted": _l("it was deleted")}.get(reason)


def duration(minutes):
    minutes = int(minutes)
    if minutes < 1:
        return _l("less than a minute")
    if minutes < 60:
        return _l("%(minutes)d min", minutes=minutes)
    return _l("%(hours)d h %(minutes)02d min", hours=minutes // 60, minutes=minutes % 60)


def person(user):
    user = user or {}
    return user.get("full_name") or user.get("username") or _l("Someone")


def _progress(who, row):
    before, after = row.get("previous_percentage"), row["new_percentage"]
    if before == 100 and after < 100:
        return _l("%(who)s reopened the task at %(after)d %%", who=who, after=after)
    if before is None or before == after:
        return _l("%(who)s set progress to %(after)d %%", who=who, after=after)
    return _l("%(who)s set progress from %(before)d to %(after)d %%", who=who, before=before, after=after)


def _create(who, row):
    found = re.match(r"^Assigned to (\S+)", row.get("notes") or "")
    if found:
        return _l("%(who)s created the task for %(assignee)s", who=who, assignee=found.group(1))
    return _l("%(who)s created the task", who=who)


def _changes(notes):
    """The fields an edit's notes say it changed, in words: ["the title", …]."""
    fields = []
    for part in (notes or "").split("; "):
        if part.endswith(" changed"):
            name = part[:-len(" changed")]
            fields.append(FIELD_NAMES.get(name) or _l("the %(field)s", field=name.lower()))
    return fields


def _edit(who, row):
    fields = _changes(row.get("notes"))
    if fields:
        return _l("%(who)s changed %(fields)s", who=who, fields=fields)
    return _l("%(who)s edited the task", who=who)


def _reassign(who, row):
    found = [REASSIGNED.match(part) for part in (row.get("notes") or "").split("; ")]
    found = [match for match in found if match]
    fields = _changes(row.get("notes"))
    if found:
        before, after = found[0].groups()
        if fields:
            return _l("%(who)s reassigned the task from %(before)s to %(after)s and changed %(fields)s",
                      who=who, before=before, after=after, fields=fields)
        return _l("%(who)s reassigned the task from %(before)s to %(after)s", who=who, before=before,
                  after=after)
    if fields:
        return _l("%(who)s reassigned the task and changed %(fields)s", who=who, fields=fields)
    return _l("%(who)s reassigned the task", who=who)


def _link(who, row):
    found = TASK_REF.search(row.get("notes") or "")
    if found:
        return _l("%(who)s made this task wait for task #%(task)s", who=who, task=found.group(1))
    return _l("%(who)s made this task wait for another task", who=who)


def _unlink(who, row):
    found = TASK_REF.search(row.get("notes") or "")
    if found:
        return _l("%(who)s stopped this task waiting for task #%(task)s", who=who, task=found.group(1))
    return _l("%(who)s stopped this task waiting for another task", who=who)


def _stopped(who, reason, minutes):
    if reason == "user":
        return _l("Timer stopped by %(who)s after %(duration)s", who=who, duration=duration(minutes))
    why = why_stopped(reason, who)
    if why is None:
        return _l("Timer stopped after %(duration)s", duration=duration(minutes))
    return _l("Timer stopped after %(duration)s: %(why)s", duration=duration(minutes), why=why)


def _time_entry(who, row):
    notes = row.get("notes") or ""
    if notes.startswith("Timer started"):
        return _l("%(who)s started the timer", who=who)
    stopped = STOPPED.match(notes)
    if stopped:
        return _stopped(who, *stopped.groups())
    added = ADDED.match(notes)
    if added:
        source, minutes = added.groups()
        if source == "timer":
            return _l("%(who)s added %(duration)s of work timed while offline", who=who,
                      duration=duration(minutes))
        return _l("%(who)s added %(duration)s of work by hand", who=who, duration=duration(minutes))
    return _l("%(who)s recorded time", who=who)


def _time_entry_edit(who, row):
    found = EDITED.match(row.get("notes") or "")
    if found and found.group(1) != found.group(2):
        return _l("%(who)s corrected a time entry from %(before)s to %(after)s", who=who,
                  before=duration(found.group(2)), after=duration(found.group(1)))
    if found:
        return _l("%(who)s corrected a time entry (%(duration)s)", who=who, duration=duration(found.group(1)))
    return _l("%(who)s corrected a time entry", who=who)


def _time_entry_delete(who, row):
    found = DELETED.match(row.get("notes") or "")
    if found:
        return _l("%(who)s deleted a time entry of %(duration)s", who=who, duration=duration(found.group(1)))
    return _l("%(who)s deleted a time entry", who=who)


SHEET = re.compile(r"^Week (\d{4})-W(\d{2}) \w+(?:: (.*))?$", re.S)
SHEET_VERBS = {  # (without a reason, with one)
    "sheet_submit": (_l("%(who)s submitted the timesheet of %(week)s for approval"),
                     _l("%(who)s submitted the timesheet of %(week)s for approval: %(reason)s")),
    "sheet_approve": (_l("%(who)s approved the timesheet of %(week)s"),
                      _l("%(who)s approved the timesheet of %(week)s: %(reason)s")),
    "sheet_reject": (_l("%(who)s sent the timesheet of %(week)s back"),
                     _l("%(who)s sent the timesheet of %(week)s back: %(reason)s")),
    "sheet_reopen": (_l("%(who)s reopened the approved timesheet of %(week)s"),
                     _l("%(who)s reopened the approved timesheet of %(week)s: %(reason)s")),
}


def _sheet(action):
    """A timesheet step on a task whose time the week holds: "Ada approved the timesheet of the
    week of 30 November 2026"; a rejection or reopening says why."""
    def write(who, row):
        found = SHEET.match(row.get("notes") or "")
        week = _l("a week")
        if found:
            monday = datetime.date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
            week = _l("the week of %(monday)s", monday=monday)
        plain, with_reason = SHEET_VERBS[action]
        if found and found.group(3):
            return _l(with_reason.msgid, who=who, week=week, reason=found.group(3))
        return _l(plain.msgid, who=who, week=week)
    return write


SENTENCES = {
    "create": _create, "progress": _progress, "edit": _edit, "reassign": _reassign,
    "complete": lambda who, row: _l("%(who)s marked the task complete", who=who),
    "cancel": lambda who, row: _l("%(who)s cancelled the task", who=who),
    "link": _link, "unlink": _unlink,
    "comment": lambda who, row: _l("%(who)s added a comment", who=who),
    "comment_edit": lambda who, row: _l("%(who)s edited a comment", who=who),
    "comment_delete": lambda who, row: _l("%(who)s deleted a comment", who=who),
    "time_entry": _time_entry, "time_entry_edit": _time_entry_edit,
    "time_entry_delete": _time_entry_delete,
    **{action: _sheet(action) for action in SHEET_VERBS},
}
# tests/server/firstday/test_audit_sentences.py holds SENTENCES to AUDIT_ACTIONS, kind by kind.


def sentence(row):
    """The row (an audit row as the API sends it: action, user, percentages, notes) in words."""
    write = SENTENCES.get(row["action"])
    who = person(row.get("user"))
    return write(who, row) if write else _l("%(who)s changed the task", who=who)


def own_words(row):
    """The person's own notes on the row ("" when the notes are the server's)."""
    return (row.get("notes") or "") if row["action"] in OWN_WORDS else ""
