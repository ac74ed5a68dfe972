"""SCIM 2.0 at /scim/v2/: scim2-tester's compliance checks pass for Users and Groups (no failed
check), the token is an owner's to make, filters and paging work, and `active: false` ends the
user's open WebSocket at once. Groups (= teams) in detail: test_scim_groups.py."""
import pytest
from scim2_tester import Status, check_server

from support.client import Api
from support.push import closed_within, connect, newest_id
from support.scim import RequestsScimClient, scim
from support.server import USER_PASSWORD


@pytest.fixture(scope="module")
def scim_token(company):
    admin = company.user("ADMIN")
    assert admin.post("/api/admin/scim-token/").status_code == 403  # owners only
    first = company.owner.post("/api/admin/scim-token/")
    assert first.status_code == 201
    second = company.owner.post("/api/admin/scim-token/")
    token = second.json()["token"]
    assert scim(company.server, first.json()["token"], "GET", "/Users").status_code == 401
    return token


def test_scim2_tester_finds_no_failed_check(server, scim_token):
    client = RequestsScimClient(server.url + "/scim/v2", scim_token)
    results = check_server(client, raise_exceptions=False)
    failed = [(r.title, r.reason) for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    assert results and not failed, failed
    checked = {(r.resource_type, r.title) for r in results if r.status == Status.SUCCESS}
    for kind in ("User", "Group"):  # every resource type went through every check, search too
        assert {(kind, t) for t in ("object_creation", "object_replacement", "object_deletion",
                                     "check_add_attribute", "check_remove_attribute",
                                     "check_replace_attribute", "search_with_attributes")} <= checked


def test_filter_and_paging(server, scim_token):
    for n in range(3):
        made = scim(server, scim_token, "POST", "/Users", {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "paged%d@example.com" % n, "displayName": "Paged %d" % n})
        assert made.status_code == 201, made.text
    one = scim(server, scim_token, "GET", '/Users?filter=userName eq "PAGED1@example.com"').json()
    assert one["totalResults"] == 1 and one["Resources"][0]["displayName"] == "Paged 1"
    page = scim(server, scim_token, "GET", '/Users?filter=userName sw "paged"&startIndex=2&count=1')
    assert page.json()["totalResults"] == 3 and page.json()["itemsPerPage"] == 1
    assert page.json()["startIndex"] == 2
    bad = scim(server, scim_token, "GET", "/Users?filter=userName eq")
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidFilter"


def test_deactivation_ends_the_users_socket_at_once(server, company, scim_token):
    made = scim(server, scim_token, "POST", "/Users", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "sock@example.com",
        "displayName": "Sock Puppet"}).json()
    username = made["id"] and company.owner.get("/api/admin/users/?limit=500").json()["users"]
    [user] = [u for u in username if u["full_name"] == "Sock Puppet"]
    company.owner.patch("/api/admin/users/%d/" % user["id"], {"password": USER_PASSWORD})
    api = Api(server.url).login(user["username"], USER_PASSWORD)
    ws = connect(server, api, after=newest_id(api))
    patched = scim(server, scim_token, "PATCH", "/Users/%s" % made["id"], {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert closed_within(ws, 10)
    assert api.get("/api/employee-tasks/").status_code == 401
