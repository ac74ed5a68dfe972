"""The calendar feed: secret URL, RFC 5545 VTODOs parsed back with icalendar, ETag, rotation."""
import icalendar
import requests



def feed_url(api):
    answer = api.get("/api/me/calendar/")
    assert answer.status_code == 200, answer.text
    return answer.json()["url"]


def todos(url, **kwargs):
    answer = requests.get(url, timeout=30, **kwargs)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(answer.content)
    return {str(todo["summary"]): todo for todo in cal.walk("VTODO")}, answer


def test_employee_feed_has_own_open_dated_tasks(company):
    alice, bob = company.user(), company.user()
    mine = company.task(alice, title="Alice dated", due_date="2031-05-01T12:00:00Z",
                        description="Line one, with; special \\ chars")
    company.task(alice, title="Alice undated")
    company.task(bob, title="Bob dated", due_date="2031-05-02T12:00:00Z")
    url = feed_url(alice)
    assert url.startswith(company.server.url + "/calendar/") and url.endswith(".ics")
    assert len(url.rsplit("/", 1)[1]) - 4 >= 43  # >= 256 bits, base64url
    found, _ = todos(url)
    assert list(found) == ["Alice dated"]
    todo = found["Alice dated"]
    assert str(todo["uid"]).startswith("task-%d@" % mine["id"]) and todo["sequence"] == mine["version"]
    assert todo["due"].dt.isoformat() == "2031-05-01T12:00:00+00:00"
    assert str(todo["status"]) == "NEEDS-ACTION" and todo["percent-complete"] == 0
    assert "Line one, with; special \\ chars" in str(todo["description"]) and "dtstamp" in todo
    assert feed_url(alice) == url  # stable until rotated


def test_admin_feed_has_every_task_and_a_link_to_its_page(company):
    worker = company.user()
    task = company.task(worker, title="For the admin feed", due_date="2031-06-01")
    found, _ = todos(feed_url(company.owner))
    assert "For the admin feed" in found
    assert "/dashboard/tasks/%d/" % task["id"] in str(found["For the admin feed"]["description"])


def test_etag_and_304_and_sequence_follows_the_version(company):
    worker = company.user()
    task = company.task(worker, title="Versioned", due_date="2031-07-01")
    url = feed_url(worker)
    _, first = todos(url)
    etag = first.headers["ETag"]
    again = requests.get(url, headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and not again.content
    answer = worker.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 40})
    assert answer.status_code in (200, 201), answer.text
    found, changed = todos(url, headers={"If-None-Match": etag})
    assert changed.headers["ETag"] != etag
    assert found["Versioned"]["sequence"] == task["version"] + 1
    assert found["Versioned"]["percent-complete"] == 40 and str(found["Versioned"]["status"]) == "IN-PROCESS"


def test_cancelled_and_done_tasks_leave_the_feed(company):
    worker = company.user()
    task = company.task(worker, title="To cancel", due_date="2031-08-01")
    url = feed_url(worker)
    assert "To cancel" in todos(url)[0]
    answer = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    assert answer.status_code == 200, answer.text
    assert "To cancel" not in todos(url)[0]


def test_rotated_token_is_404_and_the_new_one_works(company):
    worker = company.user()
    old = feed_url(worker)
    new = worker.post("/api/me/calendar/rotate/").json()["url"]
    assert new != old and feed_url(worker) == new
    assert requests.get(old, timeout=30).status_code == 404
    assert requests.get(new, timeout=30).status_code == 200


def test_wrong_tokens_are_404_and_grant_nothing_else(company):
    worker = company.user()
    url = feed_url(worker)
    token = url.rsplit("/", 1)[1][:-4]
    for bad in ("x" * 43, token[:-1], token + "A", "..%2f"):
        assert requests.get(company.server.url + "/calendar/%s.ics" % bad, timeout=30).status_code == 404
    answer = requests.get(company.server.url + "/api/employee-tasks/", timeout=30,
                          headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 401
    assert requests.get(company.server.url + "/api/me/calendar/", timeout=30).status_code == 401


def test_the_token_never_reaches_the_log(company):
    worker = company.user()
    url = feed_url(worker)
    requests.get(url, timeout=30)
    token = url.rsplit("/", 1)[1][:-4]
    assert token not in company.server.log()
    assert "/calendar/<token>.ics" in company.server.log()


def test_a_deactivated_users_feed_is_404(company):
    worker = company.user()
    url = feed_url(worker)
    answer = company.owner.patch("/api/admin/users/%d/" % worker.user["id"], {"is_active": False})
    assert answer.status_code == 200, answer.text
    assert requests.get(url, timeout=30).status_code == 404
