"""OpenID Connect sign-in against a real OpenID provider (npm oidc-provider), driven in Chromium."""
import re

import pytest
import requests

from support.browser import browser, new_context  # noqa: F401  (the browser fixture)
from support.client import Api
from support.idp import oidc_env, tracker
from support.server import OWNER_PASSWORD, USER_PASSWORD, free_port

pytestmark = pytest.mark.browser


def provider_sign_in(page, tracker_url, login):
    """From /login through the provider's own pages and back; returns the page where it lands."""
    page.goto(tracker_url + "/login")
    page.click("#sso-signin")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_selector("button:has-text('Continue')")  # the provider's consent page
    page.click("button:has-text('Continue')")
    page.wait_for_url(re.compile(re.escape(tracker_url) + "/(dashboard|app)/"))
    return page


def users_named(company, prefix):
    found = company.owner.get("/api/admin/users/?limit=500").json()["users"]
    return [u for u in found if u["username"].startswith(prefix)]


def test_first_sign_in_creates_the_user_and_admin_group_makes_an_admin(browser, sso_server,
                                                                       sso_company):
    ctx = new_context(browser)
    page = provider_sign_in(ctx.new_page(), sso_server.url, "alice")
    assert "/dashboard/" in page.url  # an ADMIN lands on the monitor
    ctx.close()
    [alice] = users_named(sso_company, "alice")
    assert alice["role"] == "ADMIN" and alice["email"] == "alice@example.com"
    assert alice["full_name"] == "Alice Adams"


def test_same_sub_with_a_changed_email_is_the_same_user(browser, provider, sso_server, sso_company):
    ctx = new_context(browser)
    provider_sign_in(ctx.new_page(), sso_server.url, "erin")
    ctx.close()
    [first] = users_named(sso_company, "erin")
    users = dict(provider_users(provider), erin=dict(provider_users(provider)["erin"],
                                                     email="erin.new@example.com"))
    provider.set_users(users)
    ctx = new_context(browser)
    page = provider_sign_in(ctx.new_page(), sso_server.url, "erin")
    assert "/app/" in page.url  # an employee lands in the web app
    ctx.close()
    [again] = users_named(sso_company, "erin")
    assert again["id"] == first["id"] and again["email"] == "erin.new@example.com"


def provider_users(provider):
    import json
    return json.loads(provider.users_file.read_text())


def test_unverified_email_never_links_an_existing_user(browser, provider, sso_server, sso_company):
    answer = sso_company.owner.post("/api/admin/users/", {
        "username": "gina", "full_name": "Gina Local", "password": USER_PASSWORD,
        "email": "gina@example.com"})
    assert answer.status_code == 201, answer.text
    provider.set_users(dict(provider_users(provider), intruder={
        "email": "gina@example.com", "email_verified": False, "name": "Not Gina", "groups": []}))
    ctx = new_context(browser)
    provider_sign_in(ctx.new_page(), sso_server.url, "intruder")
    ctx.close()
    [gina] = [u for u in users_named(sso_company, "gina") if u["username"] == "gina"]
    assert gina["full_name"] == "Gina Local"  # untouched; the intruder got an account of their own
    [intruder] = [u for u in users_named(sso_company, "") if u["full_name"] == "Not Gina"]
    assert intruder["id"] != gina["id"] and intruder["email"] is None
    assert intruder["role"] == "EMPLOYEE"


def test_verified_email_links_the_existing_user(browser, provider, sso_server, sso_company):
    answer = sso_company.owner.post("/api/admin/users/", {
        "username": "hank", "full_name": "Hank Local", "password": USER_PASSWORD,
        "email": "hank@example.com"})
    assert answer.status_code == 201, answer.text
    provider.set_users(dict(provider_users(provider), h123={
        "email": "hank@example.com", "email_verified": True, "name": "Hank", "groups": []}))
    ctx = new_context(browser)
    provider_sign_in(ctx.new_page(), sso_server.url, "h123")
    ctx.close()
    assert users_named(sso_company, "h123") == []  # nobody new: hank himself signed in
    assert len(users_named(sso_company, "hank")) == 1


def test_a_wrong_state_is_refused_with_a_page(browser, sso_server):
    ctx = new_context(browser)
    page = ctx.new_page()
    page.goto(sso_server.url + "/login")
    page.click("#sso-signin")
    page.wait_for_selector("input[name=login]")  # a flow is open at the provider
    answer = page.goto(sso_server.url + "/login/oidc/callback?code=forged&state=not-the-state")
    assert answer.status == 400
    assert "Sign-in expired" in page.text_content("h1")
    assert page.context.cookies(sso_server.url) == [] or all(
        c["name"] != "tracker_session" for c in page.context.cookies(sso_server.url))
    ctx.close()


def test_a_user_who_cancels_at_the_provider_is_told_so(browser, sso_server):
    ctx = new_context(browser)
    page = ctx.new_page()
    page.goto(sso_server.url + "/login")
    page.click("#sso-signin")
    page.wait_for_selector("input[name=login]")
    page.click("a:has-text('Cancel')")
    page.wait_for_url(re.compile(re.escape(sso_server.url) + "/login/oidc/callback"))
    assert "did not let you in, or you cancelled" in page.text_content("main")
    ctx.close()


def test_sso_only_refuses_passwords_but_the_break_glass_owners(sso_server, sso_company):
    answer = sso_company.owner.post("/api/admin/users/", {
        "username": "ivan", "full_name": "Ivan", "password": USER_PASSWORD})
    assert answer.status_code == 201
    refused = requests.post(sso_server.url + "/api/auth/token/",
                            json={"username": "ivan", "password": USER_PASSWORD}, timeout=10)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "sso_only"
    assert Api(sso_server.url).login("root", OWNER_PASSWORD).user["role"] == "OWNER"


def test_a_provider_that_is_down_gets_a_clear_page(tmp_path):
    srv = tracker(tmp_path, **oidc_env("http://127.0.0.1:%d" % free_port()))
    try:
        answer = requests.get(srv.url + "/login/oidc", timeout=30, allow_redirects=False)
        assert answer.status_code == 503
        assert "Example ID is not answering right now" in answer.text
    finally:
        srv.stop()


def test_without_oidc_create_users_a_stranger_gets_a_clear_refusal(browser, provider, tmp_path):
    srv = tracker(tmp_path, port=provider.closed_port,
                  **oidc_env(provider.issuer, TRACKER_OIDC_CREATE_USERS="false"))
    try:
        ctx = new_context(browser)
        page = ctx.new_page()
        page.goto(srv.url + "/login")
        page.click("#sso-signin")
        page.fill("input[name=login]", "erin")
        page.fill("input[name=password]", "anything")
        page.click("button[type=submit]")
        page.click("button:has-text('Continue')")
        page.wait_for_url(re.compile(re.escape(srv.url) + "/login/oidc/callback"))
        assert "No access here" in page.text_content("h1")
        assert "there is no account for you here yet" in page.text_content("main")
        ctx.close()
        users = Api(srv.url).login("root", OWNER_PASSWORD).get("/api/admin/users/").json()["users"]
        assert [u["username"] for u in users] == ["root"]  # nobody was created
    finally:
        srv.stop()


def test_an_sso_user_signs_the_desktop_app_in_through_the_browser(browser, sso_server):
    from desktop_client.api import Client
    from desktop_client.platform.browser import BrowserSignIn
    ctx = new_context(browser)

    def system_browser(url):
        page = ctx.new_page()
        page.goto(url)  # not signed in: the sign-in page, which offers the company account
        page.click("#sso-signin")
        page.fill("input[name=login]", "erin")
        page.fill("input[name=password]", "anything")
        page.click("button[type=submit]")
        page.click("button:has-text('Continue')")
        page.click("#desktop-continue")
        page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/signed-in\?"))

    client = Client(sso_server.url)
    user = BrowserSignIn(timeout=60).run(client, system_browser)
    ctx.close()
    assert user["username"].startswith("erin")
    assert client.request("GET", "/api/employee-tasks/").status_code == 200


def test_groups_set_team_memberships_at_each_sign_in(browser, provider, sso_server, sso_company):
    ctx = new_context(browser)
    provider_sign_in(ctx.new_page(), sso_server.url, "alice")
    ctx.close()
    teams = sso_company.owner.get("/api/admin/teams/").json()
    teams = teams["teams"] if isinstance(teams, dict) else teams
    [staff] = [t for t in teams if t["name"] == "Staff"]
    roles = {m["user"]["username"]: m["role"] for m in staff["members"]}
    assert roles["alice"] == "lead"  # in both groups: the stronger role
