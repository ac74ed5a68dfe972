"""A company with two people whose every kind of data carries marker strings (tests/privacy)."""
import datetime
import subprocess

from .client import Api
from .server import USER_PASSWORD

ALICE = {"username": "alice_q7mark", "full_name": "Quentin Erasable",
         "email": "quentin.erasable@example.com"}
BOB = {"username": "bob_k3keep", "full_name": "Konrad Keepable", "email": "konrad.keep@example.com"}


def markers(person):
    """The texts of one person that must (or must not) show up somewhere."""
    tag = person["username"].upper()
    return {"note": "NOTE-%s-7f1" % tag, "comment": "COMMENT-%s-2c9" % tag,
            "edited": "EDITED-%s-5d3" % tag, "time": "TIME-%s-8e4" % tag}


def person(company, who):
    answer = company.owner.post("/api/admin/users/", dict(who, role="EMPLOYEE", password=USER_PASSWORD))
    assert answer.status_code == 201, answer.text
    return Api(company.server.url).login(who["username"], USER_PASSWORD)


def fill(company, api, who, mention=None):
    """A task with progress, a note, a comment (edited), a time entry and presence. Returns it."""
    marks = markers(who)
    task = company.old_task(api, title="Work of %s" % who["username"])
    assert api.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).status_code == 200
    answer = api.post("/api/task/%d/progress/" % task["id"],
                      {"progress_percentage": 40, "notes": marks["note"]})
    assert answer.status_code == 200, answer.text
    body = marks["comment"] + (" @%s" % mention if mention else "")
    comment = api.post("/api/task/%d/comments/" % task["id"], {"body": body}).json()
    edited = api.request("PATCH", "/api/comments/%d/" % comment["id"],
                         json={"body": marks["edited"]})
    assert edited.status_code == 200, edited.text
    end = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    entry = api.post("/api/task/%d/time-entries/" % task["id"], {
        "started_at": (end - datetime.timedelta(minutes=30)).isoformat(),
        "ended_at": (end - datetime.timedelta(minutes=5)).isoformat(), "note": marks["time"]})
    assert entry.status_code == 201, entry.text
    return task


def texts_of(who):
    return [who["username"], who["full_name"], who["email"]] + list(markers(who).values())


def pg_dump(url):
    return subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True,
                          timeout=60).stdout


def eventually(check, what, timeout=15):
    """Poll `check()` until true (another process's change reaches the server by its safety poll)."""
    import time
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.05)
