"""The estimate on the assign and task pages, and tracked time shown beside it."""
import re

from support.server import OWNER_PASSWORD


def page_session(server):
    """A requests session signed in to the admin pages, and its XSRF token."""
    import requests
    session = requests.Session()
    login = session.get(server.url + "/login", timeout=30)
    xsrf = session.cookies.get("_xsrf") or re.search(r'name="_xsrf" value="([^"]+)"', login.text).group(1)
    answer = session.post(server.url + "/login", data={"username": "root", "password": OWNER_PASSWORD,
                                                       "_xsrf": xsrf}, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return session, session.cookies.get("_xsrf")


def test_the_task_form_sets_and_refuses_an_estimate(server, company):
    ann = company.user()
    task = company.task(ann)
    session, xsrf = page_session(server)
    url = server.url + "/dashboard/tasks/%d/" % task["id"]
    form = {"_xsrf": xsrf, "title": task["title"], "assignee_id": str(ann.user["id"]),
            "priority": "MEDIUM", "tz_offset": "0"}
    for bad in ("soon", "-2", "nan", "2000"):
        refused = session.post(url, data=dict(form, estimate=bad), timeout=30)
        assert refused.status_code == 400 and 'id="e-estimate"' in refused.text, bad
    stored = [t for t in ann.get("/api/employee-tasks/").json()["tasks"] if t["id"] == task["id"]]
    assert stored[0]["estimate_minutes"] is None and stored[0]["version"] == task["version"]
    saved = session.post(url, data=dict(form, estimate="1:30"), timeout=30)
    assert saved.status_code == 200
    assert 'value="1.5"' in saved.text and "0 h 00 min of 1 h 30 min estimated" in saved.text
