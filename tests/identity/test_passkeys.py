"""Passkeys with Chromium's virtual authenticator (CDP WebAuthn): one registered on the Security
page signs its owner in without a password; a removed one does not."""
import re

import pytest
import requests

from support.browser import browser, new_context, sign_in  # noqa: F401  (the browser fixture)
from support.server import USER_PASSWORD

pytestmark = pytest.mark.browser


def virtual_authenticator(context, page):
    """A platform authenticator with resident keys that verifies its user (a fingerprint, say)."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return cdp


def test_a_passkey_signs_in_without_a_password(browser, server, company):
    user = company.user()
    base = "http://localhost:%d" % server.port  # WebAuthn needs a domain, not an IP address
    ctx = new_context(browser)
    page = ctx.new_page()
    virtual_authenticator(ctx, page)
    sign_in(page, base, user.user["username"], USER_PASSWORD, next_path="/app/")
    page.goto(base + "/security")
    page.fill("#passkey-name", "Test laptop")
    page.click("#add-passkey")
    page.wait_for_selector("#passkeys li")
    assert "Test laptop" in page.text_content("#passkeys")
    listed = user.get("/api/me/passkeys/").json()["passkeys"]
    assert [p["name"] for p in listed] == ["Test laptop"]

    ctx.clear_cookies()
    page.goto(base + "/login")
    page.click("#passkey-signin")
    page.wait_for_url(re.compile(re.escape(base) + "/app/"))
    assert user.user["username"] in page.content()

    ctx.clear_cookies()  # a password alone is not enough now: the passkey is the second factor
    page.goto(base + "/login")
    page.fill("#username", user.user["username"])
    page.fill("#password", USER_PASSWORD)
    page.click("form button[type=submit]")
    page.click("#passkey-confirm")
    page.wait_for_url(re.compile(re.escape(base) + "/app/"))
    token = requests.post(base + "/api/auth/token/", timeout=30, json={
        "username": user.user["username"], "password": USER_PASSWORD})
    assert token.status_code == 401 and token.json()["error"]["code"] == "passkey_required"

    assert user.request("DELETE", "/api/me/passkeys/%d/" % listed[0]["id"]).status_code == 204
    ctx.clear_cookies()
    page.goto(base + "/login")
    page.click("#passkey-signin")
    page.wait_for_selector("#passkey-status:not([hidden])")
    assert "not accepted" in page.text_content("#passkey-status")
    ctx.close()
