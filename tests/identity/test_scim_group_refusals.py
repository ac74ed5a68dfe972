"""Every bad SCIM Groups request is a SCIM error (its status, scimType and detail) and writes
nothing: no team, membership, team_log row or SCIM row. A bad member anywhere in a list stops
the whole request (all or nothing)."""
import pytest
import requests

from support.scim import GROUP, MISSING, fresh_name, group, made, ops, refused, scim, uid, written


@pytest.fixture(scope="module")
def token(company):
    return company.owner.post("/api/admin/scim-token/").json()["token"]


def bad_members(server, ann):
    """Member lists with one bad entry beside a good one (ann): each must write nothing."""
    good = {"value": str(uid(ann))}
    return [[good, {"value": str(MISSING)}], [good, {"value": "abc"}], [good, {"value": "-1"}],
            [good, {"display": "no value"}], [good, {"value": ""}],
            [{"value": str(uid(ann)), "type": "Group"}],
            [{"value": str(uid(ann)), "$ref": "%s/scim/v2/Groups/%d" % (server.url, uid(ann))}],
            [{"value": str(uid(ann)), "display": "x" * 256}]]


def test_a_bad_member_is_a_400_and_writes_nothing(server, company, token):
    ann = company.user()
    team_id = made(server, token, group(fresh_name()))["id"]
    before = written(server)
    detail = refused(scim(server, token, "POST", "/Groups", group(fresh_name(), uid(ann), MISSING)), 400,
                     "invalidValue")
    assert detail.startswith("members name no user: '%d'" % MISSING), detail
    for members in bad_members(server, ann):
        for method, path, body in (
                ("POST", "/Groups", group(fresh_name(), members=members)),
                ("PUT", "/Groups/%s" % team_id, group(fresh_name(), members=members)),
                ("PATCH", "/Groups/%s" % team_id, ops({"op": "add", "path": "members", "value": members})),
                ("PATCH", "/Groups/%s" % team_id, ops({"op": "replace", "path": "members",
                                                       "value": members}))):
            refused(scim(server, token, method, path, body), 400, "invalidValue")
    for remove in ({"op": "remove", "path": 'members[value eq "%d"]' % MISSING},
                   {"op": "Remove", "path": "members", "value": [{"value": str(MISSING)}]},
                   {"op": "Remove", "path": "members", "value": [{"value": str(uid(ann))}, {"value": "x"}]},
                   {"op": "Remove", "path": "members", "value": [{"value": uid(ann)}]},
                   {"op": "Remove", "path": "members", "value": [str(uid(ann))]}):
        refused(scim(server, token, "PATCH", "/Groups/%s" % team_id, ops(remove)), 400, "invalidValue")
    assert written(server) == before


def test_every_other_bad_input_is_a_scim_error_and_writes_nothing(server, company, token):
    taken = made(server, token, group(fresh_name("Taken")))
    team_id = made(server, token, group(fresh_name()))["id"]
    before = written(server)
    for body, scim_type in (
            (group(""), "invalidValue"), (group("   "), "invalidValue"), (group("x" * 201), "invalidValue"),
            ({"schemas": [GROUP]}, "invalidValue"), ({"schemas": [GROUP], "displayName": 5}, "invalidValue"),
            (group(fresh_name(), externalId="x" * 256), "invalidValue"),
            (group(fresh_name(), members=[{"value": "1", "color": "red"}]), "invalidSyntax"),
            (["not", "a", "group"], "invalidSyntax")):
        refused(scim(server, token, "POST", "/Groups", body), 400, scim_type)
        refused(scim(server, token, "PUT", "/Groups/%s" % team_id, body), 400, scim_type)
    for method, path in (("POST", "/Groups"), ("PUT", "/Groups/%s" % team_id)):
        refused(scim(server, token, method, path, group(taken["displayName"].upper())), 409, "uniqueness")
    for operations, scim_type in (
            ([{"op": "replace", "path": "displayName", "value": taken["displayName"]}], "uniqueness"),
            ([{"op": "frob", "path": "members", "value": []}], "invalidValue"),
            ([{"op": "add", "path": "bogus", "value": "x"}], "invalidPath"),
            ([{"op": "remove", "path": "displayName"}], "mutability"),
            ([{"op": "replace", "path": "id", "value": "9"}], "mutability"),
            ([{"op": "replace", "path": "displayName", "value": ""}], "invalidValue"),
            ([], "invalidValue")):
        answer = scim(server, token, "PATCH", "/Groups/%s" % team_id, ops(*operations))
        refused(answer, 409 if scim_type == "uniqueness" else 400, scim_type)
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        body = group(fresh_name())
        if method == "PATCH":
            body = ops({"op": "add", "path": "members", "value": []})
        refused(scim(server, token, method, "/Groups/%d" % MISSING, body), 404)
    refused(scim(server, token, "GET", "/Groups?filter=displayName eq"), 400, "invalidFilter")
    refused(scim(server, token, "GET", "/Groups?startIndex=one"), 400)
    headers = {"Authorization": "Bearer %s" % token}
    for data, kind, status in (("{not json", "application/scim+json", 400),
                               ('{"displayName": "x"}', "text/plain", 415)):
        answer = requests.post(server.url + "/scim/v2/Groups", data=data, timeout=30,
                               headers=dict(headers, **{"Content-Type": kind}))
        refused(answer, status)
    refused(scim(server, "not-the-token", "POST", "/Groups", group(fresh_name())), 401)
    assert written(server) == before


