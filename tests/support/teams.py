"""Two teams built through the real API, for the scope tests (no tests here): Alpha and Bravo,
each with a lead, a viewer and two members, tasks with progress, comments, time entries and
dependencies inside and across the teams. Everything of Bravo carries the word "bravo" (names,
titles, comments), so a leak is a substring in an answer."""
import datetime
import secrets

from .client import Api
from .server import USER_PASSWORD


class Side:
    """One team: its id, its people (Api clients) and its tasks."""

    def __init__(self, name):
        self.name, self.team, self.people, self.tasks, self.comments, self.entries = name, None, {}, [], [], []
        self.sheet = self.absence = None

    @property
    def ids(self):
        return {person.user["id"] for person in self.people.values()}


def _user(company, name):
    answer = company.owner.post("/api/admin/users/", {"username": name, "full_name": name.title(),
                                                      "role": "EMPLOYEE", "password": USER_PASSWORD})
    assert answer.status_code == 201, answer.text
    return Api(company.server.url).login(name, USER_PASSWORD)


def build_side(company, word):
    tag = secrets.token_hex(3)
    side = Side(word)
    answer = company.owner.post("/api/admin/teams/", {"name": "%s team %s" % (word.title(), tag),
                                                      "description": "%s people" % word})
    assert answer.status_code == 201, answer.text
    side.team = answer.json()
    for role in ("lead", "viewer", "member1", "member2"):
        person = side.people[role] = _user(company, "%s_%s_%s" % (word, role, tag))
        put = company.owner.request("PUT", "/api/admin/teams/%d/members/%d/" % (
            side.team["id"], person.user["id"]), json={"role": role.rstrip("12")})
        assert put.status_code == 200, put.text
    due = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).isoformat()
    for number, who in enumerate(("member1", "member2", "member1")):
        make = company.old_task if number == 0 else company.task  # task 0 gets time in the past
        task = make(side.people[who], title="%s task %d %s" % (word.title(), number, tag),
                            description="%s work" % word, due_date=due)
        side.tasks.append(task)
    return side


def fill_side(company, side):
    """Progress, a comment, a time entry and an inside dependency on each side."""
    member = side.people["member1"]
    task = side.tasks[0]
    assert member.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 40,
                                                               "notes": "%s notes" % side.name}).status_code == 200
    comment = member.post("/api/task/%d/comments/" % task["id"],
                          {"body": "%s comment for @%s" % (side.name, side.people["lead"].user["username"])})
    assert comment.status_code == 201, comment.text
    side.comments.append(comment.json())
    # Three to two hours ago: the task is a day old (an entry may not start before it), and the
    # progress report above may have started a timer now.
    end = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)
    start = end - datetime.timedelta(hours=1)
    entry = member.post("/api/task/%d/time-entries/" % task["id"], {
        "started_at": start.isoformat(), "ended_at": end.isoformat(), "note": "%s time" % side.name})
    assert entry.status_code == 201, entry.text
    side.entries.append(entry.json())
    link = company.owner.post("/api/admin/tasks/%d/dependencies/" % side.tasks[2]["id"],
                              {"depends_on": side.tasks[0]["id"]})
    assert link.status_code == 201, link.text
    fill_sheets(side)


def fill_sheets(side):
    """This week's timesheet of member1, submitted, and an absence member2 asks for."""
    member1, member2 = side.people["member1"], side.people["member2"]
    member1.post("/api/timer/stop/", {})  # the progress report may have started a timer
    year, week, _ = datetime.datetime.now(datetime.timezone.utc).isocalendar()
    sheet = member1.post("/api/me/timesheets/%04d-W%02d/submit/" % (year, week))
    assert sheet.status_code == 200, sheet.text
    side.sheet = sheet.json()
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    absence = member2.post("/api/me/absences/", {"kind": "vacation", "starts_on": day, "ends_on": day,
                                                 "note": "%s trip" % side.name})
    assert absence.status_code == 201, absence.text
    side.absence = absence.json()


def two_teams(company):
    """(alpha, bravo), filled, with one link across: Alpha's task 1 depends on Bravo's task 1."""
    alpha, bravo = build_side(company, "alpha"), build_side(company, "bravo")
    for side in (alpha, bravo):
        fill_side(company, side)
    link = company.owner.post("/api/admin/tasks/%d/dependencies/" % alpha.tasks[1]["id"],
                              {"depends_on": bravo.tasks[1]["id"]})
    assert link.status_code == 201, link.text
    return alpha, bravo
