"""The People page's API helpers and the projects' life: a one-time set-password link (once,
within 72 hours, ending the old sessions), and projects renamed, archived and restored."""
import re

import requests

from support.browser import form_session
from support.client import Api


def test_a_password_link_sets_a_password_once_and_ends_old_tokens(server, company):
    owner, ann = company.owner, company.user()
    made = owner.post("/api/admin/users/%d/password-link/" % ann.user["id"])
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    assert re.fullmatch(re.escape(server.url) + r"/set-password/[A-Za-z0-9_-]{40,}", url)
    http = requests.Session()
    form = http.get(url, timeout=30)
    assert form.status_code == 200 and "Set your password" in form.text
    xsrf = http.cookies["_xsrf"]
    differ = http.post(url, data={"_xsrf": xsrf, "password": "brand-new-pass-1", "again": "other-pass-22"})
    assert differ.status_code == 400 and "differ" in differ.text
    weak = http.post(url, data={"_xsrf": xsrf, "password": "password", "again": "password"})
    assert weak.status_code == 400
    done = http.post(url, data={"_xsrf": xsrf, "password": "brand-new-pass-1", "again": "brand-new-pass-1"})
    assert done.status_code == 200 and "Your password is set" in done.text
    assert ann.get("/api/me/").status_code == 401  # the old token ended with the old password
    assert Api(server.url).login(ann.user["username"], "brand-new-pass-1").user["id"] == ann.user["id"]
    again = http.get(url, timeout=30)
    assert again.status_code == 404 and "no longer valid" in again.text


def test_a_new_link_voids_the_older_and_admins_cannot_reset_owners(server, company):
    owner, ann = company.owner, company.user()
    first = owner.post("/api/admin/users/%d/password-link/" % ann.user["id"]).json()["url"]
    second = owner.post("/api/admin/users/%d/password-link/" % ann.user["id"]).json()["url"]
    assert requests.get(first, timeout=30).status_code == 404
    assert requests.get(second, timeout=30).status_code == 200
    admin = company.user("ADMIN")
    refused = admin.post("/api/admin/users/%d/password-link/" % owner.user["id"])
    assert refused.status_code == 403
    assert ann.post("/api/admin/users/%d/password-link/" % ann.user["id"]).status_code == 403
    assert owner.post("/api/admin/users/2147480000/password-link/").status_code == 404


def test_the_people_page_disables_enables_renames_and_makes_a_link(server, company):
    ann = company.user()
    page = form_session(server.url)
    action = server.url + "/dashboard/users/%d/change/" % ann.user["id"]
    xsrf = page.cookies["_xsrf"]
    link = page.post(action, data={"_xsrf": xsrf, "action": "link"})
    assert link.status_code == 200 and "/set-password/" in link.text
    assert page.post(action, data={"_xsrf": xsrf, "action": "rename", "full_name": "Ann Renamed"}).status_code == 200
    assert page.post(action, data={"_xsrf": xsrf, "action": "disable"}).status_code == 200
    assert ann.get("/api/me/").status_code == 401
    users = company.owner.get("/api/admin/users/?limit=500").json()["users"]
    row = [u for u in users if u["id"] == ann.user["id"]][0]
    assert (row["full_name"], row["is_active"]) == ("Ann Renamed", False)
    assert page.post(action, data={"_xsrf": xsrf, "action": "enable"}).status_code == 200
    refused = page.post(server.url + "/dashboard/users/%d/change/" % company.owner.user["id"],
                        data={"_xsrf": xsrf, "action": "disable"})
    assert refused.status_code == 409 and "cannot disable yourself" in refused.text


def test_projects_are_renamed_archived_and_restored(company):
    owner, ann = company.owner, company.user()
    project = owner.post("/api/admin/projects/", {"name": "Roof"}).json()
    renamed = owner.patch("/api/admin/projects/%d/" % project["id"], {"name": "Roof 2"})
    assert renamed.json() == {"id": project["id"], "name": "Roof 2", "description": "", "archived": False}
    task = owner.post("/api/admin/tasks/", {"title": "Tiles", "assignee_id": ann.user["id"],
                                            "project_id": project["id"]}).json()
    assert owner.patch("/api/admin/projects/%d/" % project["id"], {"archived": True}).json()["archived"]
    refused = owner.post("/api/admin/tasks/", {"title": "More tiles", "assignee_id": ann.user["id"],
                                               "project_id": project["id"]})
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "project_id"
    assert owner.get("/api/admin/tasks/%d/" % task["id"]).json()["project"]["name"] == "Roof 2"
    listed = [p for p in owner.get("/api/admin/projects/").json()["projects"] if p["id"] == project["id"]]
    assert listed[0]["archived"] is True
    assert owner.patch("/api/admin/projects/%d/" % project["id"], {"archived": False}).json()["archived"] is False
    for body in ({"archived": "yes"}, {}, {"name": ""}):
        assert owner.patch("/api/admin/projects/%d/" % project["id"], body).status_code == 400
    owner.post("/api/admin/projects/", {"name": "Walls"})
    assert owner.patch("/api/admin/projects/%d/" % project["id"], {"name": "Walls"}).status_code == 409
    assert ann.patch("/api/admin/projects/%d/" % project["id"], {"name": "Mine"}).status_code == 403
