"""The teams API (SPEC 11.1): create, rename, delete, memberships; names unique whatever their
case; every change a team_log row and a team.changed event to whoever sees it; refusals write
nothing; leads, viewers and employees manage no team."""
import sqlite3
import uuid

from support.push import long_poll


def log_rows(server):
    with sqlite3.connect(server.db_path) as conn:
        return conn.execute("SELECT team_id, action, user_id, role FROM team_log ORDER BY id").fetchall()


def cursor_of(api):
    return api.get("/api/admin/task-status/").json()["cursor"]


def test_a_team_is_made_named_staffed_and_deleted_with_a_log_and_events(server, company):
    owner, ann = company.owner, company.user()
    name = "Ops %s" % uuid.uuid4().hex[:6]
    start = cursor_of(owner)
    made = owner.post("/api/admin/teams/", {"name": name, "description": "night shift"})
    assert made.status_code == 201, made.text
    team = made.json()
    assert team == {"id": team["id"], "name": name, "description": "night shift", "country": None,
                    "region": None, "members": []}
    assert made.headers["Location"] == "/api/admin/teams/%d/" % team["id"]
    assert owner.post("/api/admin/teams/", {"name": name.upper()}).status_code == 409
    put = owner.request("PUT", "/api/admin/teams/%d/members/%d/" % (team["id"], ann.user["id"]),
                        json={"role": "lead"})
    assert put.status_code == 200
    assert put.json()["members"] == [{"user": {"id": ann.user["id"], "username": ann.user["username"],
                                               "full_name": ann.user["full_name"]}, "role": "lead"}]
    renamed = owner.patch("/api/admin/teams/%d/" % team["id"], {"name": name + " B"})
    assert renamed.json()["name"] == name + " B"
    me = ann.get("/api/me/").json()
    assert me["teams"] == [{"id": team["id"], "name": name + " B", "role": "lead"}]
    events = long_poll(owner, start, timeout=0)["events"]
    changes = [e["team"]["change"]["action"] for e in events if e["type"] == "team.changed"]
    assert changes == ["team_created", "member_added", "team_edited"]
    # Ann, the team's lead now, reads its changes (her scope is read at each poll).
    assert [e["team"]["change"]["action"] for e in long_poll(ann, start, timeout=0)["events"]
            if e["type"] == "team.changed"] == ["team_created", "member_added", "team_edited"]
    removed = owner.request("DELETE", "/api/admin/teams/%d/members/%d/" % (team["id"], ann.user["id"]))
    assert removed.status_code == 200 and removed.json()["members"] == []
    assert owner.request("DELETE", "/api/admin/teams/%d/" % team["id"]).status_code == 204
    assert owner.get("/api/admin/teams/%d/" % team["id"]).status_code == 404
    actions = [(action, role) for team_id, action, _user, role in log_rows(server) if team_id == team["id"]]
    assert actions == [("team_created", None), ("member_added", "lead"), ("team_edited", None),
                       ("member_removed", None), ("team_deleted", None)]


def test_refusals_write_nothing(server, company):
    owner, ann = company.owner, company.user()
    team = owner.post("/api/admin/teams/", {"name": "Ref %s" % uuid.uuid4().hex[:6]}).json()
    before = log_rows(server)
    for body in ({}, {"name": ""}, {"name": "x" * 201}, {"name": "ok", "extra": 1}, {"name": 5}):
        answer = owner.post("/api/admin/teams/", body)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "validation_error", body
    member = "/api/admin/teams/%d/members/%d/" % (team["id"], ann.user["id"])
    bad_role = owner.request("PUT", member, json={"role": "boss"})
    assert bad_role.status_code == 400 and bad_role.json()["error"]["field"] == "role"
    assert owner.request("PUT", "/api/admin/teams/%d/members/2147480000/" % team["id"],
                         json={"role": "member"}).status_code == 404
    assert owner.request("PUT", "/api/admin/teams/2147480000/members/%d/" % ann.user["id"],
                         json={"role": "member"}).status_code == 404
    assert owner.request("DELETE", member).status_code == 404  # not in the team
    for who in (ann,):
        assert who.get("/api/admin/teams/").status_code == 403
        assert who.post("/api/admin/teams/", {"name": "mine"}).status_code == 403
    assert log_rows(server) == before


def test_the_team_log_is_append_only(server, company):
    company.owner.post("/api/admin/teams/", {"name": "Log %s" % uuid.uuid4().hex[:6]})
    with sqlite3.connect(server.db_path) as conn:
        for statement in ("UPDATE team_log SET notes = 'x'", "DELETE FROM team_log"):
            try:
                conn.execute(statement)
            except sqlite3.DatabaseError as exc:
                assert "append-only" in str(exc)
            else:
                raise AssertionError("%s was allowed" % statement)


def test_me_reads_and_changes_locale_zone_and_email(company):
    ann = company.user()
    me = ann.get("/api/me/").json()
    assert (me["locale"], me["time_zone"], me["teams"], me["email"]) == ("en", "UTC", [], None)
    changed = ann.patch("/api/me/", {"locale": "pt-BR", "time_zone": "America/Sao_Paulo",
                                     "email": "ann@example.com"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["locale"], changed.json()["time_zone"]) == ("pt-BR", "America/Sao_Paulo")
    for body, field in (({"time_zone": "Mars/Olympus"}, "time_zone"), ({"locale": "xx"}, "locale"),
                        ({"time_zone": "Europe/Berlin", "locale": "klingon"}, "locale"),
                        ({"role": "OWNER"}, "role"), ({}, None)):
        refused = ann.patch("/api/me/", body)
        assert refused.status_code == 400, body
        assert refused.json()["error"]["field"] == field
    again = ann.get("/api/me/").json()
    assert (again["locale"], again["time_zone"], again["role"]) == ("pt-BR", "America/Sao_Paulo", "EMPLOYEE")
    assert ann.patch("/api/me/", {"locale": None}).json()["locale"] == "en"


def test_a_deleted_teams_id_is_never_given_again(server, company):
    """SQLite would hand the newest team's id to the next team once it is deleted: its log rows,
    a SCIM client and old links would then name a stranger."""
    owner = company.owner
    gone = owner.post("/api/admin/teams/", {"name": "Gone %s" % uuid.uuid4().hex[:6]}).json()
    assert owner.request("DELETE", "/api/admin/teams/%d/" % gone["id"]).status_code == 204
    fresh = owner.post("/api/admin/teams/", {"name": "Fresh %s" % uuid.uuid4().hex[:6]})
    assert fresh.status_code == 201, fresh.text
    assert fresh.json()["id"] > gone["id"]
    assert [action for team_id, action, _user, _role in log_rows(server)
            if team_id == fresh.json()["id"]] == ["team_created"]
