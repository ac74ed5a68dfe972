"""Inputs at their edges: dates that leave the calendar, look-alike usernames, passwords built
from the account's own words (issue 24, items 3, 8 and 11)."""
import uuid

import requests

from support.server import USER_PASSWORD

EDGE = "0001-01-01T00:00:00+14:00"
LATE = "9999-12-31T23:59:59-14:00"


def test_a_date_at_the_edge_of_the_range_is_a_400_naming_its_field(company):
    ann = company.user()
    task = company.task(ann)
    entries = "/api/task/%d/time-entries/" % task["id"]
    cases = [
        (ann.post, "/api/task/%d/timer/start/" % task["id"], {"started_at": EDGE}, "started_at"),
        (ann.post, entries, {"started_at": EDGE, "ended_at": LATE}, "started_at"),
        (ann.post, entries, {"started_at": "2026-01-01T00:00:00Z", "ended_at": LATE}, "ended_at"),
        (ann.post, "/api/timer/stop/", {"ended_at": LATE}, "ended_at"),
        (company.owner.post, "/api/admin/tasks/", {"title": "edge", "assignee_id": ann.user["id"],
                                                   "due_date": LATE}, "due_date"),
    ]
    for call, path, body, field in cases:
        answer = call(path, body)
        assert answer.status_code == 400, (path, body, answer.status_code, answer.text)
        assert answer.json()["error"]["field"] == field
    for path, field in (("/api/me/time-entries/?since=%s", "since"),
                        ("/api/admin/export/time.csv?since=%s", "since")):
        answer = company.owner.get(path % requests.utils.quote(EDGE))
        assert answer.status_code == 400 and answer.json()["error"]["field"] == field
    assert ann.get("/api/me/time-entries/").json()["entries"] == []


def _create(company, username, password=USER_PASSWORD, full_name="Someone", email=None):
    return company.owner.post("/api/admin/users/", {"username": username, "full_name": full_name,
                                                    "password": password, "email": email})


def test_usernames_match_whole_and_look_alikes_are_refused(company):
    base = "olivia%s" % uuid.uuid4().hex[:6]
    assert _create(company, base).status_code == 201
    for bad in (base + "\n", base + ".", "." + base, base[:3] + ".." + base[3:], base + "_"):
        answer = _create(company, bad)
        assert answer.status_code == 400, (bad, answer.text)
        assert answer.json()["error"]["field"] == "username"
    for alike in ("0" + base[1:], base.upper(), base.replace("i", "1", 1), base.replace("l", "I")):
        answer = _create(company, alike)
        assert answer.status_code == 409, (alike, answer.text)
        assert answer.json()["error"]["field"] == "username"
        assert "too like" in answer.text or "taken" in answer.text
    assert _create(company, base + ".b").status_code == 201  # a distinct name still works
    names = [u["username"] for u in company.owner.get("/api/admin/users/?limit=500").json()["users"]]
    assert sorted(n for n in names if n.lower().endswith(base[6:]) or base in n) == [base, base + ".b"]


def test_passwords_built_from_the_account_or_product_are_refused(company):
    tag = uuid.uuid4().hex[:4]
    name = "rtemp" + tag
    cases = [
        (name, "Someone", name * 3),
        ("emma" + tag, "Emma Schmidt", "Emma Schmidt 1"),
        ("tom" + tag, "Tom", "Tracker2026!"),
        ("eve" + tag, "Eve", "employee-demo-pass"),
        ("kim" + tag, "Kim Lindqvist", "kim@lindqvist.example 7"),
    ]
    for username, full_name, password in cases:
        answer = _create(company, username, password, full_name, email="kim@lindqvist.example")
        assert answer.status_code == 400, (password, answer.text)
        assert answer.json()["error"]["field"] == "password"
    made = _create(company, "fine" + tag, "tundra ladle cobalt 42")
    assert made.status_code == 201
    changed = company.owner.patch("/api/admin/users/%d/" % made.json()["id"],
                                  {"password": "Fine%sFine%s!" % (tag, tag)})
    assert changed.status_code == 400 and changed.json()["error"]["field"] == "password"
