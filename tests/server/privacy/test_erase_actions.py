"""The owner's erasure on the People page (typing the username confirms) and through the API:
admins are refused, a wrong confirmation or a forged form changes nothing."""
from support.browser import form_session
from support.privacy import fill
from support.server import USER_PASSWORD, run_cli

PAGE = "/dashboard/users/"


def username_of(company, user_id):
    users = company.owner.get("/api/admin/users/?limit=500").json()["users"]
    return next(u["username"] for u in users if u["id"] == user_id)


def test_the_owner_erases_on_the_people_page(server, company):
    employee = company.user()
    fill(company, employee, {"username": employee.user["username"]})
    http = form_session(server.url)
    people = http.get(server.url + PAGE, timeout=30).text
    assert "Erase a person" in people
    assert "Privacy settings in force" in people and "Active, idle and offline" in people
    assert "90 days" in people
    target, xsrf = employee.user, http.cookies["_xsrf"]
    wrong = http.post(server.url + PAGE + "erase/", timeout=30, data={
        "user_id": target["id"], "confirm": target["username"].upper(), "_xsrf": xsrf})
    assert wrong.status_code == 400 and "exactly to confirm" in wrong.text
    forged = http.post(server.url + PAGE + "erase/", timeout=30, data={
        "user_id": target["id"], "confirm": target["username"]})
    assert forged.status_code == 403
    assert username_of(company, target["id"]) == target["username"]
    done = http.post(server.url + PAGE + "erase/", timeout=30, data={
        "user_id": target["id"], "confirm": target["username"], "_xsrf": xsrf})
    assert done.status_code == 200 and "The person is erased" in done.text
    assert username_of(company, target["id"]) == "erased-%d" % target["id"]
    assert employee.get("/api/employee-tasks/").status_code == 401
    verified = run_cli("verify-audit", db_url=server.db_url)
    assert "intact" in verified.stdout and " 0 of them" not in verified.stdout


def test_an_admin_may_not_erase(server, company):
    admin, employee = company.user(role="ADMIN"), company.user()
    http = form_session(server.url, admin.user["username"], USER_PASSWORD)
    assert "Erase a person" not in http.get(server.url + PAGE, timeout=30).text
    refused = http.post(server.url + PAGE + "erase/", timeout=30, data={
        "user_id": employee.user["id"], "confirm": employee.user["username"],
        "_xsrf": http.cookies["_xsrf"]})
    assert refused.status_code == 403
    api = admin.post("/api/admin/users/%d/erase/" % employee.user["id"],
                     {"confirm": employee.user["username"]})
    assert api.status_code == 403 and api.json()["error"]["code"] == "forbidden"
    assert username_of(company, employee.user["id"]) == employee.user["username"]


def test_the_api_erases_once(server, company):
    employee = company.user()
    fill(company, employee, {"username": employee.user["username"]})
    path = "/api/admin/users/%d/erase/" % employee.user["id"]
    wrong = company.owner.post(path, {"confirm": "someone_else"})
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "confirm"
    extra = company.owner.post(path, {"confirm": employee.user["username"], "also": 1})
    assert extra.status_code == 400
    done = company.owner.post(path, {"confirm": employee.user["username"]})
    assert done.status_code == 200, done.text
    assert done.json()["username"] == "erased-%d" % employee.user["id"]
    assert done.json()["redacted_rows"] >= 3
    again = company.owner.post(path, {"confirm": "erased-%d" % employee.user["id"]})
    assert again.status_code == 409
    missing = company.owner.post("/api/admin/users/999999/erase/", {"confirm": "x"})
    assert missing.status_code == 404
