"""TOTP second factor with pyotp computing the codes: enrolment, token sign-in asking for the code
(otp_required), each code once, recovery codes once, codes throttled, an owner's reset, and the
web app's Security page."""
import time

import pyotp
import pytest
import requests

from support.browser import browser, new_context, sign_in  # noqa: F401  (the browser fixture)
from support.server import USER_PASSWORD


def token_answer(server, username, otp=None):
    body = {"username": username, "password": USER_PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return requests.post(server.url + "/api/auth/token/", json=body, timeout=30)


def enrol(user):
    pending = user.post("/api/me/2fa/totp/")
    assert pending.status_code == 201, pending.text
    secret = pending.json()["secret"]
    assert pending.json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = user.post("/api/me/2fa/totp/confirm/", {"code": "000000"})
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "code"
    confirmed = user.post("/api/me/2fa/totp/confirm/", {"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def next_code(secret):
    """The code of the next time step: the confirmation used this one (a code counts once)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_token_sign_in_asks_for_the_code_and_takes_each_once(server, company):
    user = company.user()
    secret, _codes = enrol(user)
    missing = token_answer(server, user.user["username"])
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "otp_required"
    code = next_code(secret)
    assert token_answer(server, user.user["username"], code).status_code == 200
    replay = token_answer(server, user.user["username"], code)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "otp_invalid"


def test_a_recovery_code_works_once(server, company):
    user = company.user()
    _secret, codes = enrol(user)
    assert token_answer(server, user.user["username"], codes[3]).status_code == 200
    assert token_answer(server, user.user["username"], codes[3]).status_code == 401
    assert token_answer(server, user.user["username"], codes[4]).status_code == 200


def test_codes_are_throttled_like_passwords(server, company):
    user = company.user()
    enrol(user)
    for _ in range(5):
        assert token_answer(server, user.user["username"], "123456").status_code == 401
    assert token_answer(server, user.user["username"], "654321").status_code == 429


def test_only_an_owner_resets_a_second_factor(server, company):
    user, admin = company.user(), company.user("ADMIN")
    enrol(user)
    path = "/api/admin/users/%d/2fa/" % user.user["id"]
    assert admin.request("DELETE", path).status_code == 403
    assert company.owner.request("DELETE", path).status_code == 204
    assert token_answer(server, user.user["username"]).status_code == 200
    assert company.owner.request("DELETE", path).status_code == 404


def test_turning_it_off_and_enrolling_twice(server, company):
    user = company.user()
    enrol(user)
    again = user.post("/api/me/2fa/totp/")
    assert again.status_code == 409
    assert user.request("DELETE", "/api/me/2fa/totp/").status_code == 204
    assert token_answer(server, user.user["username"]).status_code == 200


@pytest.mark.browser
def test_the_security_page_turns_it_on_and_the_login_form_asks_for_the_code(browser, server,
                                                                           company):
    user = company.user()
    ctx = new_context(browser)
    page = ctx.new_page()
    sign_in(page, server.url, user.user["username"], USER_PASSWORD, next_path="/app/")
    page.goto(server.url + "/security")
    page.click("text=Set up two-factor sign-in")
    assert page.locator(".qr svg").count() == 1
    secret = page.text_content("#totp-secret").strip()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("text=Turn on")
    assert page.locator("#recovery-codes li").count() == 10
    ctx.close()
    ctx = new_context(browser)
    page = ctx.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", user.user["username"])
    page.fill("#password", USER_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("#otp")
    page.fill("#password", USER_PASSWORD)
    page.fill("#otp", next_code(secret))
    page.click("form button[type=submit]")
    page.wait_for_url(server.url + "/app/")
    ctx.close()


def test_require_2fa_sends_the_unenrolled_to_the_security_page(tmp_path):
    from support.server import start_server
    srv = start_server(tmp_path, TRACKER_REQUIRE_2FA="admins")
    try:
        owner_login = requests.post(srv.url + "/api/auth/token/", timeout=30,
                                    json={"username": "root", "password": "owner-test-password"})
        assert owner_login.status_code == 403
        assert owner_login.json()["error"]["code"] == "enrolment_required"
        session = requests.Session()
        session.get(srv.url + "/login", timeout=30)
        page = session.post(srv.url + "/login", timeout=30, allow_redirects=False, data={
            "username": "root", "password": "owner-test-password",
            "_xsrf": session.cookies["_xsrf"]})
        assert page.status_code == 302 and page.headers["Location"] == "/security?required=1"
        xsrf = {"X-XSRFToken": session.cookies["_xsrf"]}  # enrol in the session it was sent to
        secret = session.post(srv.url + "/api/me/2fa/totp/", headers=xsrf, timeout=30).json()["secret"]
        confirmed = session.post(srv.url + "/api/me/2fa/totp/confirm/", headers=xsrf, timeout=30,
                                 json={"code": pyotp.TOTP(secret).now()})
        assert confirmed.status_code == 200, confirmed.text
        enrolled = requests.post(srv.url + "/api/auth/token/", timeout=30, json={
            "username": "root", "password": "owner-test-password", "otp": next_code(secret)})
        assert enrolled.status_code == 200
    finally:
        srv.stop()
