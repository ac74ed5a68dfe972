"""The monitor's data (snapshot.json) over HTTP: joined once per board version, named by an ETag
that a repeated read answers with 304, the task-status body's cards; the cards' updates apart."""
import gzip

from support.browser import form_session

SNAPSHOT = "/dashboard/tasks/monitor/snapshot.json"


def test_an_unchanged_snapshot_answers_304_and_a_change_a_new_body(server, company):
    employee = company.user()
    task = company.task(employee)
    page = form_session(server.url)
    first = page.get(server.url + SNAPSHOT, timeout=30)
    tag = first.headers["Etag"]
    assert first.status_code == 200 and tag.startswith('"')
    again = page.get(server.url + SNAPSHOT, headers={"If-None-Match": tag}, timeout=30)
    assert again.status_code == 304 and again.content == b""
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 40})
    changed = page.get(server.url + SNAPSHOT, headers={"If-None-Match": tag}, timeout=30)
    assert changed.status_code == 200 and changed.headers["Etag"] != tag
    body = changed.json()
    assert "recent" not in body and "description" not in body["tasks"][0]
    updates = page.get(server.url + "/api/admin/task-updates/?ids=%d" % task["id"], timeout=30).json()
    assert updates["updates"][str(task["id"])][0]["new_percentage"] == 40
    assert [t["progress_percentage"] for t in body["tasks"] if t["id"] == task["id"]] == [40]
    api = company.owner.get("/api/admin/task-status/").json()
    assert body["cursor"] <= api["cursor"]
    assert [t["id"] for t in body["tasks"]] == [t["id"] for t in api["tasks"]]
    assert body["summary"] == api["summary"]


def test_a_presence_change_changes_the_tag(server, company):
    employee = company.user()
    page = form_session(server.url)
    tag = page.get(server.url + SNAPSHOT, timeout=30).headers["Etag"]
    employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    after = page.get(server.url + SNAPSHOT, headers={"If-None-Match": tag}, timeout=30)
    assert after.status_code == 200 and after.headers["Etag"] != tag
    assert {e["username"]: e["occupancy_status"] for e in after.json()["employees"]}[
        employee.user["username"]] == "ACTIVE"


def test_the_snapshot_and_the_board_go_gzipped_to_those_who_take_it(server, company):
    company.task(company.user())
    page = form_session(server.url)
    for path, get in ((SNAPSHOT, lambda path, **kw: page.get(server.url + path, **kw)),
                      ("/api/admin/task-status/", company.owner.get)):
        packed = get(path, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
        wire = packed.raw.read(decode_content=False)
        plain = get(path, headers={"Accept-Encoding": "identity"}, timeout=30)
        assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
        assert int(packed.headers["Content-Length"]) == len(wire)
        assert "Content-Encoding" not in plain.headers
        assert gzip.decompress(wire) == plain.content
        if path == SNAPSHOT:  # one tag per form of the body: a cache never answers one with the other
            assert packed.headers["Etag"] != plain.headers["Etag"]
            again = get(path, headers={"If-None-Match": packed.headers["Etag"]}, timeout=30)
            assert again.status_code == 304
