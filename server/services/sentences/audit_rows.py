"""One sentence per audit row, for every action kind: "Emma Schmidt set progress to 75 %",
"Timer stopped by Emma Schmidt after 25 min". No time inside (clients show it beside the sentence,
in local time), no ids, hashes or internal names. The notes that services write for their own
kinds are read back here: they are in the hash chain, so their wording stays as it was written."""
import datetime
import re

from server.store.models import AUDIT_ACTIONS

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
FIELD_NAMES = {"Title": "the title", "Description": "the description", "Due date": "the due date",
               "Priority": "the priority", "Estimate minutes": "the estimate"}
WHY_STOPPED = {"switch": "{who} started a timer on another task", "idle": "{who} went idle",
               "offline": "{who} went offline", "paused": "{who} paused", "deleted": "it was deleted"}


def duration(minutes):
    minutes = int(minutes)
    if minutes < 1:
        return "less than a minute"
    return "%d min" % minutes if minutes < 60 else "%d h %02d min" % divmod(minutes, 60)


def listed(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def person(user):
    user = user or {}
    return user.get("full_name") or user.get("username") or "Someone"


def _progress(who, row):
    before, after = row.get("previous_percentage"), row["new_percentage"]
    if before == 100 and after < 100:
        return "%s reopened the task at %d %%" % (who, after)
    if before is None or before == after:
        return "%s set progress to %d %%" % (who, after)
    return "%s set progress from %d to %d %%" % (who, before, after)


def _complete(who, row):
    return "%s marked the task complete" % who


def _create(who, row):
    found = re.match(r"^Assigned to (\S+)", row.get("notes") or "")
    return "%s created the task%s" % (who, " for %s" % found.group(1) if found else "")


def _changes(notes):
    """The fields an edit's notes say it changed, in words: ["the title", …]."""
    fields = []
    for part in (notes or "").split("; "):
        if part.endswith(" changed"):
            name = part[:-len(" changed")]
            fields.append(FIELD_NAMES.get(name, "the " + name.lower()))
    return fields


def _edit(who, row):
    fields = _changes(row.get("notes"))
    return "%s changed %s" % (who, listed(fields)) if fields else "%s edited the task" % who


def _reassign(who, row):
    found = [REASSIGNED.match(part) for part in (row.get("notes") or "").split("; ")]
    found = [match for match in found if match]
    text = "%s reassigned the task" % who
    if found:
        text += " from %s to %s" % found[0].groups()
    fields = _changes(row.get("notes"))
    return text + (" and changed %s" % listed(fields) if fields else "")


def _cancel(who, row):
    return "%s cancelled the task" % who


def _link(who, row):
    found = TASK_REF.search(row.get("notes") or "")
    return "%s made this task wait for %s" % (who, "task #%s" % found.group(1) if found else "another task")


def _unlink(who, row):
    found = TASK_REF.search(row.get("notes") or "")
    return "%s stopped this task waiting for %s" % (
        who, "task #%s" % found.group(1) if found else "another task")


def _time_entry(who, row):
    notes = row.get("notes") or ""
    if notes.startswith("Timer started"):
        return "%s started the timer" % who
    stopped = STOPPED.match(notes)
    if stopped:
        reason, minutes = stopped.groups()
        if reason == "user":
            return "Timer stopped by %s after %s" % (who, duration(minutes))
        why = WHY_STOPPED.get(reason)
        return "Timer stopped after %s%s" % (duration(minutes), ": " + why.format(who=who) if why else "")
    added = ADDED.match(notes)
    if added:
        source, minutes = added.groups()
        how = "timed while offline" if source == "timer" else "by hand"
        return "%s added %s of work %s" % (who, duration(minutes), how)
    return "%s recorded time" % who


def _time_entry_edit(who, row):
    found = EDITED.match(row.get("notes") or "")
    if found and found.group(1) != found.group(2):
        return "%s corrected a time entry from %s to %s" % (who, duration(found.group(2)),
                                                            duration(found.group(1)))
    return "%s corrected a time entry%s" % (who, " (%s)" % duration(found.group(1)) if found else "")


def _time_entry_delete(who, row):
    found = DELETED.match(row.get("notes") or "")
    return "%s deleted a time entry%s" % (who, " of %s" % duration(found.group(1)) if found else "")


SHEET = re.compile(r"^Week (\d{4})-W(\d{2}) \w+(?:: (.*))?$", re.S)
SHEET_VERBS = {"sheet_submit": "{who} submitted the timesheet of {week} for approval",
               "sheet_approve": "{who} approved the timesheet of {week}",
               "sheet_reject": "{who} sent the timesheet of {week} back",
               "sheet_reopen": "{who} reopened the approved timesheet of {week}"}


def _sheet(action):
    """A timesheet step on a task whose time the week holds: "Ada approved the timesheet of the
    week of 30 November 2026"; a rejection or reopening says why."""
    def write(who, row):
        found = SHEET.match(row.get("notes") or "")
        week = "a week"
        if found:
            monday = datetime.date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
            week = "the week of %d %s" % (monday.day, monday.strftime("%B %Y"))
        text = SHEET_VERBS[action].format(who=who, week=week)
        return text + (": %s" % found.group(3) if found and found.group(3) else "")
    return write


SENTENCES = {
    "create": _create, "progress": _progress, "complete": _complete, "edit": _edit,
    "reassign": _reassign, "cancel": _cancel, "link": _link, "unlink": _unlink,
    "comment": lambda who, row: "%s added a comment" % who,
    "comment_edit": lambda who, row: "%s edited a comment" % who,
    "comment_delete": lambda who, row: "%s deleted a comment" % who,
    "time_entry": _time_entry, "time_entry_edit": _time_entry_edit,
    "time_entry_delete": _time_entry_delete,
    **{action: _sheet(action) for action in SHEET_VERBS},
}
# tests/server/firstday/test_audit_sentences.py holds SENTENCES to AUDIT_ACTIONS, kind by kind.


def sentence(row):
    """The row (an audit row as the API sends it: action, user, percentages, notes) in words."""
    write = SENTENCES.get(row["action"])
    who = person(row.get("user"))
    return write(who, row) if write else "%s changed the task" % who


def own_words(row):
    """The person's own notes on the row ("" when the notes are the server's)."""
    return (row.get("notes") or "") if row["action"] in OWN_WORDS else ""
