"""SCIM Groups are the teams (SPEC 11.2): a group made, patched, replaced or deleted by SCIM is a
team made, staffed or deleted, with its team_log rows and team.changed events; a member SCIM
adds is a `member` unless they lead or view the team already; teams made by hand are groups
too; on PostgreSQL as on SQLite. Refusals: test_scim_group_refusals.py."""
import uuid

import pytest

from support.client import Company
from support.scim import (MISSING, SEARCH, USER, cursor_of, fresh_name, group, made, ops, patched,
                          refused, roles, rows, scim, team_events, uid)
from support.server import start_server


@pytest.fixture(scope="module")
def token(company):
    return company.owner.post("/api/admin/scim-token/").json()["token"]


def test_a_group_made_by_scim_is_a_team_with_its_log_and_events(server, company, token):
    ann = company.user()
    start, name = cursor_of(company.owner), fresh_name()
    answer = scim(server, token, "POST", "/Groups", group(name, uid(ann), externalId="entra-1"))
    assert answer.status_code == 201, answer.text
    body, team_id = answer.json(), int(answer.json()["id"])
    assert answer.headers["Location"] == body["meta"]["location"] == "%s/scim/v2/Groups/%d" % (
        server.url, team_id)
    assert body["displayName"] == name and body["externalId"] == "entra-1"
    assert body["members"] == [{"value": str(uid(ann)), "type": "User", "display": ann.user["full_name"],
                                "$ref": "%s/scim/v2/Users/%d" % (server.url, uid(ann))}]
    [team] = [t for t in company.owner.get("/api/admin/teams/").json()["teams"] if t["id"] == team_id]
    assert team["name"] == name and team["description"] == ""
    assert [(m["user"]["id"], m["role"]) for m in team["members"]] == [(uid(ann), "member")]
    assert rows(server, "SELECT source FROM team_member WHERE team_id = ?", team_id) == [("scim",)]
    assert rows(server, "SELECT action, user_id, role, actor_id FROM team_log WHERE team_id = ? "
                "ORDER BY id", team_id) == [("team_created", None, None, None),
                                            ("member_added", uid(ann), "member", None)]
    assert team_events(company.owner, start) == [(team_id, "team_created"), (team_id, "member_added")]
    again = scim(server, token, "GET", "/Groups/%d" % team_id).json()
    assert {k: again[k] for k in ("id", "displayName", "externalId", "members")} == {
        k: body[k] for k in ("id", "displayName", "externalId", "members")}
    assert again["meta"]["resourceType"] == "Group"


def test_patch_adds_and_removes_members_and_renames_the_team(server, company, token):
    ann, bob, cat = company.user(), company.user(), company.user()
    team_id = made(server, token, group(fresh_name(), uid(ann)))["id"]
    start = cursor_of(company.owner)
    body = patched(server, token, team_id, {"op": "Add", "path": "members", "value": [
        {"value": str(uid(bob)), "display": "Bob from the directory"}]})
    assert {m["value"]: m["display"] for m in body["members"]} == {
        str(uid(ann)): ann.user["full_name"], str(uid(bob)): "Bob from the directory"}
    assert roles(company, team_id) == {uid(ann): "member", uid(bob): "member"}
    patched(server, token, team_id, {"op": "remove", "path": 'members[value eq "%d"]' % uid(ann)})
    assert roles(company, team_id) == {uid(bob): "member"}
    patched(server, token, team_id, {"op": "add", "path": "members", "value": [{"value": str(uid(cat))}]})
    # Entra ID's way to remove: the members to remove as the value, not a filter in the path.
    patched(server, token, team_id, {"op": "Remove", "path": "members",
                                     "value": [{"value": str(uid(cat))}]})
    assert roles(company, team_id) == {uid(bob): "member"}
    patched(server, token, team_id, {"op": "replace", "path": "members",
                                     "value": [{"value": str(uid(ann))}]})
    assert roles(company, team_id) == {uid(ann): "member"}
    new_name = fresh_name("Renamed")
    assert patched(server, token, team_id, {"op": "Replace", "path": "displayName",
                                            "value": new_name})["displayName"] == new_name
    assert company.owner.get("/api/admin/teams/%s/" % team_id).json()["name"] == new_name
    emptied = patched(server, token, team_id, {"op": "remove", "path": "members"})
    assert "members" not in emptied and roles(company, team_id) == {}
    tid = int(team_id)
    assert team_events(company.owner, start) == [
        (tid, "member_added"), (tid, "member_removed"), (tid, "member_added"), (tid, "member_removed"),
        (tid, "member_removed"), (tid, "member_added"), (tid, "team_edited"), (tid, "member_removed")]


def test_a_lead_or_viewer_stays_one_when_scim_adds_them_and_leaves_when_removed(server, company, token):
    ann, bob, cat = company.user(), company.user(), company.user()
    team_id = made(server, token, group(fresh_name()))["id"]
    for person, role in ((ann, "lead"), (bob, "viewer")):
        put = company.owner.request("PUT", "/api/admin/teams/%s/members/%d/" % (team_id, uid(person)),
                                    json={"role": role})
        assert put.status_code == 200, put.text
    before = rows(server, "SELECT COUNT(*) FROM team_log WHERE team_id = ?", team_id)
    patched(server, token, team_id, {"op": "add", "path": "members", "value": [
        {"value": str(uid(ann))}, {"value": str(uid(bob))}, {"value": str(uid(cat))}]})
    assert roles(company, team_id) == {uid(ann): "lead", uid(bob): "viewer", uid(cat): "member"}
    assert rows(server, "SELECT COUNT(*) FROM team_log WHERE team_id = ?", team_id)[0][0] == before[0][0] + 1
    listed = scim(server, token, "GET", "/Groups/%s" % team_id).json()["members"]
    assert {m["value"] for m in listed} == {str(uid(p)) for p in (ann, bob, cat)}
    replaced = scim(server, token, "PUT", "/Groups/%s" % team_id,
                    group(fresh_name(), uid(ann), uid(bob), uid(cat)))
    assert replaced.status_code == 200, replaced.text
    assert roles(company, team_id) == {uid(ann): "lead", uid(bob): "viewer", uid(cat): "member"}
    patched(server, token, team_id, {"op": "remove", "path": 'members[value eq "%d"]' % uid(ann)})
    assert roles(company, team_id) == {uid(bob): "viewer", uid(cat): "member"}


def test_delete_removes_the_team_and_what_scim_kept_of_it(server, company, token):
    ann = company.user()
    display = "Ann in the directory %s" % uuid.uuid4().hex
    body = made(server, token, group(fresh_name(), externalId="gone", members=[
        {"value": str(uid(ann)), "display": display}]))
    start = cursor_of(company.owner)
    answer = scim(server, token, "DELETE", "/Groups/%s" % body["id"])
    assert answer.status_code == 204 and answer.text == ""
    assert company.owner.get("/api/admin/teams/%s/" % body["id"]).status_code == 404
    refused(scim(server, token, "GET", "/Groups/%s" % body["id"]), 404)
    assert team_events(company.owner, start) == [(int(body["id"]), "team_deleted")]
    assert rows(server, "SELECT * FROM scim_group WHERE team_id = ?", body["id"]) == []
    assert rows(server, "SELECT * FROM scim_member WHERE display = ?", display) == []
    assert ann.get("/api/me/").json()["teams"] == []


def test_teams_made_by_hand_are_groups_and_hand_changes_show(server, company, token):
    ann = company.user()
    name = fresh_name("Hand")
    team = company.owner.post("/api/admin/teams/", {"name": name}).json()
    put = "/api/admin/teams/%d/members/%d/" % (team["id"], uid(ann))
    assert company.owner.request("PUT", put, json={"role": "lead"}).status_code == 200
    found = scim(server, token, "GET", '/Groups?filter=displayName eq "%s"' % name.lower()).json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == str(team["id"])
    assert found["Resources"][0]["members"][0]["value"] == str(uid(ann))
    patched(server, token, team["id"], {"op": "replace", "path": "members", "value": [
        {"value": str(uid(ann)), "display": "kept?"}]})  # ann stays lead: her display stays hers
    assert scim(server, token, "GET", "/Groups/%d" % team["id"]).json()["members"][0]["display"] == \
        ann.user["full_name"]
    assert company.owner.request("DELETE", put).status_code == 200  # by hand
    added = patched(server, token, team["id"], {"op": "add", "path": "members", "value": [
        {"value": str(uid(ann)), "display": "Ann A."}]})
    assert added["members"][0]["display"] == "Ann A." and roles(company, team["id"]) == {uid(ann): "member"}
    assert company.owner.request("DELETE", put).status_code == 200
    assert company.owner.request("PUT", put, json={"role": "member"}).status_code == 200
    member = scim(server, token, "GET", "/Groups/%d" % team["id"]).json()["members"][0]
    assert member["display"] == ann.user["full_name"]  # the display went with the membership


def test_filter_paging_and_search(server, company, token):
    tag = uuid.uuid4().hex[:8]
    ids = [made(server, token, group("Page%s %d" % (tag, n)))["id"] for n in range(3)]
    one = scim(server, token, "GET", '/Groups?filter=displayName eq "PAGE%s 1"' % tag.upper()).json()
    assert one["totalResults"] == 1 and one["Resources"][0]["id"] == ids[1]
    page = scim(server, token, "GET", '/Groups?filter=displayName sw "Page%s"&startIndex=2&count=1'
                % tag).json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert [r["id"] for r in page["Resources"]] == [ids[1]]
    lean = scim(server, token, "GET", '/Groups?filter=displayName sw "Page%s"&excludedAttributes=members'
                % tag).json()
    assert all("members" not in r for r in lean["Resources"])
    for path in ("/Groups/.search", "/.search"):
        found = scim(server, token, "POST", path, {"schemas": [SEARCH], "filter": 'displayName sw "Page%s"'
                                                   % tag, "startIndex": 3, "count": 5}).json()
        assert found["totalResults"] == 3 and [r["id"] for r in found["Resources"]] == [ids[2]]
    user = scim(server, token, "POST", "/Users", {"schemas": [USER], "userName": "s%s@example.com" % tag})
    alone = scim(server, token, "POST", "/Users/.search", {"schemas": [SEARCH], "filter": 'userName eq '
                                                          '"S%s@example.com"' % tag}).json()
    assert [r["id"] for r in alone["Resources"]] == [user.json()["id"]]
    both = scim(server, token, "POST", "/.search", {"schemas": [SEARCH], "filter": 'userName eq "s%s@'
                                                    'example.com" or displayName sw "Page%s"' % (tag, tag)})
    assert [r["id"] for r in both.json()["Resources"]] == [user.json()["id"]] + ids


def test_a_users_groups_are_their_teams(server, company, token):
    tag = uuid.uuid4().hex[:8]
    user = scim(server, token, "POST", "/Users", {"schemas": [USER], "userName": "g%s@example.com" % tag,
                                                  "displayName": "Gina %s" % tag}).json()
    assert "groups" not in user
    body = made(server, token, group(fresh_name(), user["id"]))
    assert body["members"][0]["display"] == "Gina %s" % tag
    again = scim(server, token, "GET", "/Users/%s" % user["id"]).json()
    location = "%s/scim/v2/Groups/%s" % (server.url, body["id"])
    assert again["groups"] == [{"value": body["id"], "$ref": location,
                                "display": body["displayName"], "type": "direct"}]


def test_erasure_drops_the_display_scim_sent(server, company, token):
    ann = company.user()
    body = made(server, token, group(fresh_name(), members=[{"value": str(uid(ann)),
                                                            "display": "Secret Name %s" % uid(ann)}]))
    erased = company.owner.post("/api/admin/users/%d/erase/" % uid(ann), {"confirm": ann.user["username"]})
    assert erased.status_code == 200, erased.text
    assert rows(server, "SELECT display FROM scim_member WHERE display LIKE ?", "Secret Name %") == []
    assert scim(server, token, "GET", "/Groups/%s" % body["id"]).json()["members"][0]["display"] != \
        "Secret Name %s" % uid(ann)


def test_groups_on_postgresql(pg_url, tmp_path):
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        token = company.owner.post("/api/admin/scim-token/").json()["token"]
        ann, bob = company.user(), company.user()
        body = made(srv, token, group(fresh_name(), externalId="pg", members=[
            {"value": str(uid(ann)), "display": "Ann"}, {"value": str(uid(bob))}]))
        assert [m["display"] for m in body["members"]] == ["Ann", bob.user["full_name"]]
        refused(scim(srv, token, "PATCH", "/Groups/%s" % body["id"], ops(
            {"op": "add", "path": "members", "value": [{"value": str(MISSING)}]})), 400, "invalidValue")
        patched(srv, token, body["id"], {"op": "remove", "path": 'members[value eq "%d"]' % uid(ann)})
        assert roles(company, body["id"]) == {uid(bob): "member"}
        assert scim(srv, token, "DELETE", "/Groups/%s" % body["id"]).status_code == 204
        assert company.owner.get("/api/admin/teams/%s/" % body["id"]).status_code == 404
    finally:
        srv.stop()
