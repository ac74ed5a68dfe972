"""What each kind of mail says: a Letter (subject, paragraphs, links, rows), rendered as plain text
and as HTML through an autoescaping template, so a task title is text in both, never markup. Each
is written for its reader: their language, their time zone (SPEC 11.4)."""
import collections

import tornado.template

from server.services.language.text import N_

Letter = collections.namedtuple("Letter", "subject heading paragraphs link_text link rows")
Row = collections.namedtuple("Row", "title detail link")

KIND_WORDS = {"assigned": N_("new tasks assigned to you"), "mention": N_("mentions in comments"),
              "at_risk": N_("your tasks turning at risk"), "overdue": N_("your tasks turning overdue"),
              "digest": N_("the daily digest"), "sheet_due": N_("reminders to submit your timesheet"),
              "sheet_waiting": N_("reminders of timesheets waiting for your approval")}
PRIORITIES = {"LOW": N_("low"), "MEDIUM": N_("medium"), "HIGH": N_("high"), "URGENT": N_("urgent")}
DIGEST_ROWS = 25

HTML = tornado.template.Template("""<!DOCTYPE html>
<html lang="{{ reader.code }}" dir="{{ reader.direction }}"><head><meta charset="utf-8"><title>{{ letter.subject }}</title></head>
<body style="font-family: sans-serif; color: #1f2430; max-width: 40em">
<h1 style="font-size: 1.25em">{{ letter.heading }}</h1>
{% for paragraph in letter.paragraphs %}<p>{{ paragraph }}</p>
{% end %}{% if letter.rows %}<ul>
{% for row in letter.rows %}<li><a href="{{ row.link }}">{{ row.title }}</a> &mdash; {{ row.detail }}</li>
{% end %}</ul>
{% end %}{% if letter.link %}<p><a href="{{ letter.link }}">{{ letter.link_text }}</a></p>
{% end %}<hr>
<p style="font-size: 0.85em; color: #5a6070">{{ sends }}
<a href="{{ unsubscribe }}">{{ stop }}</a></p>
</body></html>
""", name="mail.html", autoescape="xhtml_escape")


def render(letter, kind, unsubscribe, reader):
    """(text, html) of a letter; the unsubscribe link is in both."""
    what = reader.gettext(KIND_WORDS[kind])
    sends = reader.gettext("Progress Tracker sends you %(what)s.", what=what)
    stop = reader.gettext("Unsubscribe from %(what)s (other mails keep coming)", what=what)
    lines = [letter.heading, ""] + [p for paragraph in letter.paragraphs for p in (paragraph, "")]
    lines += ["- %s: %s\n  %s" % (row.title, row.detail, row.link) for row in letter.rows]
    if letter.rows:
        lines.append("")
    if letter.link:
        lines += ["%s: %s" % (letter.link_text, letter.link), ""]
    lines += ["-- ", sends, "%s: %s" % (stop, unsubscribe)]
    html = HTML.generate(letter=letter, sends=sends, stop=stop, unsubscribe=unsubscribe,
                         reader=reader).decode()
    return "\n".join(lines) + "\n", html


def one_line(text, limit=200):
    """A header's text: line breaks and other control characters of a title become spaces (a
    header cannot hold them), and a very long one is cut."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "\u2026"


def local(when, reader):
    """An ISO time (the API's, with offset) in the reader's zone, the zone named:
    "Tue, 1 Dec 2026, 14:00 (Europe/Berlin)"."""
    return reader.gettext("%(moment)s (%(zone)s)", moment=reader.long_moment(when),
                          zone=reader.zone_name)


def task_link(base_url, task, admin):
    """Admins open the task page; employees their web app, which lists the task."""
    return "%s/dashboard/tasks/%d/" % (base_url, task["id"]) if admin else base_url + "/app/"


def assigned(task, link, reader):
    _ = reader.gettext
    project, due = task.get("project"), task.get("due_date")
    values = {"priority": _(PRIORITIES.get(task["priority"], task["priority"])),
              "project": project and project["name"], "due": due and local(due, reader)}
    if project and due:
        text = _("You have a new task in %(project)s, priority %(priority)s, due %(due)s.", **values)
    elif project:
        text = _("You have a new task in %(project)s, priority %(priority)s, no due date.", **values)
    elif due:
        text = _("You have a new task, priority %(priority)s, due %(due)s.", **values)
    else:
        text = _("You have a new task, priority %(priority)s, no due date.", **values)
    return Letter(_("New task for you: %(title)s", title=task["title"]), task["title"],
                  [text] + ([task["description"]] if task.get("description") else []),
                  _("Open the task"), link, [])


def mention(task, comment, link, reader):
    _ = reader.gettext
    author = comment["author"]["full_name"] or comment["author"]["username"]
    return Letter(_("%(author)s mentioned you on “%(title)s”", author=author, title=task["title"]),
                  _("%(author)s mentioned you", author=author),
                  [_("On “%(title)s”:", title=task["title"]), comment["body"] or ""],
                  _("Open the task"), link, [])


def at_risk(task, link, reader):
    _ = reader.gettext
    forecast, percent = task.get("forecast_completion_at"), task["progress_percentage"]
    due = local(task["due_date"], reader)
    if forecast:
        text = _("It stands at %(percent)d%% and at its current pace it would be finished "
                 "%(forecast)s, after it is due %(due)s.", percent=percent,
                 forecast=local(forecast, reader), due=due)
    else:
        text = _("It stands at %(percent)d%% and it is not moving fast enough to be done when it "
                 "is due, %(due)s.", percent=percent, due=due)
    return Letter(_("At risk: %(title)s", title=task["title"]),
                  _("“%(title)s” is at risk", title=task["title"]), [text], _("Open the task"),
                  link, [])


def overdue(task, link, reader):
    _ = reader.gettext
    return Letter(_("Overdue: %(title)s", title=task["title"]),
                  _("“%(title)s” is overdue", title=task["title"]),
                  [_("It was due %(due)s and stands at %(percent)d%%.",
                     due=local(task["due_date"], reader), percent=task["progress_percentage"])],
                  _("Open the task"), link, [])


def _row(task, overdue_now, base_url, reader):
    values = {"who": _who(task, reader), "due": local(task["due_date"], reader),
              "percent": task["progress_percentage"]}
    detail = (reader.gettext("%(who)s, overdue (due %(due)s), %(percent)d%%", **values) if overdue_now
              else reader.gettext("%(who)s, at risk (due %(due)s), %(percent)d%%", **values))
    return Row(task["title"], detail, task_link(base_url, task, True))


def digest(open_tasks, done_today, base_url, day, reader):
    """The admins' day: counts, then the tasks that need a look (overdue first, then at risk)."""
    _ = reader.gettext
    overdue_tasks = [t for t in open_tasks if t["is_overdue"]]
    risky = [t for t in open_tasks if t["at_risk"] and not t["is_overdue"]]
    rows = ([_row(t, True, base_url, reader) for t in overdue_tasks]
            + [_row(t, False, base_url, reader) for t in risky])
    counts = {"open": len(open_tasks), "overdue": len(overdue_tasks), "risky": len(risky)}
    paragraphs = [_("%(open)d open, %(overdue)d overdue, %(risky)d at risk; %(stale)d stale; "
                    "%(done)d finished in the last 24 hours.", **counts, done=done_today,
                    stale=sum(1 for t in open_tasks if t["is_stale"]))]
    if len(rows) > DIGEST_ROWS:
        paragraphs.append(_("The first %(shown)d of %(all)d tasks that need a look:",
                            shown=DIGEST_ROWS, all=len(rows)))
    elif rows:
        paragraphs.append(_("Tasks that need a look:"))
    subject = _("Daily digest %(day)s: %(open)d open, %(overdue)d overdue, %(risky)d at risk",
                day=day.isoformat(), **counts)
    return Letter(subject, _("Your day in Progress Tracker"), paragraphs, _("Open the monitor"),
                  base_url + "/dashboard/tasks/monitor/", rows[:DIGEST_ROWS])


def _who(task, reader):
    person = task.get("assignee") or {}
    return person.get("full_name") or person.get("username") or reader.gettext("nobody")
