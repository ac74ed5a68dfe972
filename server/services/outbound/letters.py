"""What each kind of mail says: a Letter (subject, paragraphs, links, rows), rendered as plain text
and as HTML through an autoescaping template, so a task title is text in both, never markup."""
import collections
import datetime
import zoneinfo

import tornado.template

Letter = collections.namedtuple("Letter", "subject heading paragraphs link_text link rows")
Row = collections.namedtuple("Row", "title detail link")

KIND_WORDS = {"assigned": "new tasks assigned to you", "mention": "mentions in comments",
              "at_risk": "your tasks turning at risk", "overdue": "your tasks turning overdue",
              "digest": "the daily digest", "sheet_due": "reminders to submit your timesheet",
              "sheet_waiting": "reminders of timesheets waiting for your approval"}
DIGEST_ROWS = 25

HTML = tornado.template.Template("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ letter.subject }}</title></head>
<body style="font-family: sans-serif; color: #1f2430; max-width: 40em">
<h1 style="font-size: 1.25em">{{ letter.heading }}</h1>
{% for paragraph in letter.paragraphs %}<p>{{ paragraph }}</p>
{% end %}{% if letter.rows %}<ul>
{% for row in letter.rows %}<li><a href="{{ row.link }}">{{ row.title }}</a> &mdash; {{ row.detail }}</li>
{% end %}</ul>
{% end %}{% if letter.link %}<p><a href="{{ letter.link }}">{{ letter.link_text }}</a></p>
{% end %}<hr>
<p style="font-size: 0.85em; color: #5a6070">Progress Tracker sends you {{ words }}.
<a href="{{ unsubscribe }}">Unsubscribe from {{ words }}</a> (other mails keep coming).</p>
</body></html>
""", name="mail.html", autoescape="xhtml_escape")


def render(letter, kind, unsubscribe):
    """(text, html) of a letter; the unsubscribe link is in both."""
    words = KIND_WORDS[kind]
    lines = [letter.heading, ""] + [p for paragraph in letter.paragraphs for p in (paragraph, "")]
    lines += ["- %s: %s\n  %s" % (row.title, row.detail, row.link) for row in letter.rows]
    if letter.rows:
        lines.append("")
    if letter.link:
        lines += ["%s: %s" % (letter.link_text, letter.link), ""]
    lines += ["-- ", "Progress Tracker sends you %s." % words,
              "Unsubscribe from %s: %s" % (words, unsubscribe)]
    html = HTML.generate(letter=letter, words=words, unsubscribe=unsubscribe).decode()
    return "\n".join(lines) + "\n", html


def one_line(text, limit=200):
    """A header's text: line breaks and other control characters of a title become spaces (a
    header cannot hold them), and a very long one is cut."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "\u2026"


def local(when, zone):
    """An ISO time (the API's, with offset) as the reader's local time:
    "Tue 1 Dec 2026, 14:00 (Europe/Berlin)"."""
    at = datetime.datetime.fromisoformat(when)
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.timezone.utc)
    shown = at.astimezone(zoneinfo.ZoneInfo(zone))
    return "%s %d %s, %s (%s)" % (shown.strftime("%a"), shown.day, shown.strftime("%b %Y"),
                                  shown.strftime("%H:%M"), zone)


def task_link(base_url, task, admin):
    """Admins open the task page; employees their web app, which lists the task."""
    return "%s/dashboard/tasks/%d/" % (base_url, task["id"]) if admin else base_url + "/app/"


def _due(task, zone):
    return "due %s" % local(task["due_date"], zone) if task.get("due_date") else "no due date"


def assigned(task, link, zone):
    project = task.get("project")
    where = " in %s" % project["name"] if project else ""
    return Letter("New task for you: %s" % task["title"], task["title"],
                  ["You have a new task%s, priority %s, %s." % (where, task["priority"].lower(),
                                                               _due(task, zone))]
                  + ([task["description"]] if task.get("description") else []),
                  "Open the task", link, [])


def mention(task, comment, link, _zone):
    author = comment["author"]["full_name"] or comment["author"]["username"]
    return Letter("%s mentioned you on \u201c%s\u201d" % (author, task["title"]),
                  "%s mentioned you" % author,
                  ["On \u201c%s\u201d:" % task["title"], comment["body"] or ""],
                  "Open the task", link, [])


def at_risk(task, link, zone):
    forecast = task.get("forecast_completion_at")
    pace = ("at its current pace it would be finished %s" % local(forecast, zone) if forecast
            else "it is not moving fast enough")
    return Letter("At risk: %s" % task["title"], "\u201c%s\u201d is at risk" % task["title"],
                  ["It stands at %d%% and %s, after it is %s." % (task["progress_percentage"], pace,
                                                                  _due(task, zone))],
                  "Open the task", link, [])


def overdue(task, link, zone):
    return Letter("Overdue: %s" % task["title"], "\u201c%s\u201d is overdue" % task["title"],
                  ["It was %s and stands at %d%%." % (_due(task, zone), task["progress_percentage"])],
                  "Open the task", link, [])


def digest(open_tasks, done_today, base_url, day, zone):
    """The admins' day: counts, then the tasks that need a look (overdue first, then at risk)."""
    overdue_tasks = [t for t in open_tasks if t["is_overdue"]]
    risky = [t for t in open_tasks if t["at_risk"] and not t["is_overdue"]]
    stale = sum(1 for t in open_tasks if t["is_stale"])
    rows = [Row(t["title"], "%s, overdue (%s), %d%%" % (_who(t), _due(t, zone), t["progress_percentage"]),
                task_link(base_url, t, True)) for t in overdue_tasks]
    rows += [Row(t["title"], "%s, at risk (%s), %d%%" % (_who(t), _due(t, zone), t["progress_percentage"]),
                 task_link(base_url, t, True)) for t in risky]
    counts = "%d open, %d overdue, %d at risk" % (len(open_tasks), len(overdue_tasks), len(risky))
    paragraphs = ["%s; %d stale; %d finished in the last 24 hours." % (counts.capitalize(), stale,
                                                                      done_today)]
    if len(rows) > DIGEST_ROWS:
        paragraphs.append("The first %d of %d tasks that need a look:" % (DIGEST_ROWS, len(rows)))
    elif rows:
        paragraphs.append("Tasks that need a look:")
    return Letter("Daily digest %s: %s" % (day.isoformat(), counts), "Your day in Progress Tracker",
                  paragraphs, "Open the monitor", base_url + "/dashboard/tasks/monitor/",
                  rows[:DIGEST_ROWS])


def _who(task):
    person = task.get("assignee") or {}
    return person.get("full_name") or person.get("username") or "nobody"
