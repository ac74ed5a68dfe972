"""The desktop app's sign-in through the system browser (RFC 8252): its loopback listener gets the
code from a browser Playwright drives, and the app ends with a working API token."""
import re

import pytest
import requests

from desktop_client.api import Client, Refused
from desktop_client.platform.browser import BrowserSignIn
from support.browser import browser, new_context  # noqa: F401  (the browser fixture)
from support.server import USER_PASSWORD

pytestmark = pytest.mark.browser


def browser_opener(context, username):
    """What the system browser does: open the URL, sign in, confirm for the app."""
    def open_url(url):
        page = context.new_page()
        page.goto(url)
        page.fill("#username", username)
        page.fill("#password", USER_PASSWORD)
        page.click("form button[type=submit]")
        page.click("#desktop-continue")
        page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/signed-in\?"))
        assert "You are signed in" in page.text_content("body")
    return open_url


def test_the_loopback_listener_gets_the_code_and_the_app_a_token(browser, server, company):
    employee = company.user()
    ctx = new_context(browser)
    client = Client(server.url)
    user = BrowserSignIn(timeout=30).run(client, browser_opener(ctx, employee.user["username"]))
    ctx.close()
    assert user["username"] == employee.user["username"]
    assert client.request("GET", "/api/employee-tasks/").status_code == 200  # a working token


def test_a_code_works_once_and_only_with_its_verifier(browser, server, company):
    employee = company.user()
    ctx = new_context(browser)
    signin = BrowserSignIn(timeout=30)
    codes = []
    signin.redeem = lambda client, code: codes.append(code)  # keep the code, trade it below
    signin.run(Client(server.url), browser_opener(ctx, employee.user["username"]))
    ctx.close()
    trade = {"code": codes[0], "code_verifier": "x" * 43, "redirect_uri": signin.redirect_uri}
    wrong = requests.post(server.url + "/api/auth/desktop/token/", json=trade, timeout=10)
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "code"
    trade["code_verifier"] = signin.verifier
    again = requests.post(server.url + "/api/auth/desktop/token/", json=trade, timeout=10)
    assert again.status_code == 400  # the wrong verifier used the code up


def test_a_request_that_is_not_loopback_is_refused(server):
    answer = requests.get(server.url + "/login/desktop", params={
        "redirect_uri": "https://evil.example/cb", "state": "abcdefgh12",
        "code_challenge": "a" * 43, "code_challenge_method": "S256"}, timeout=10)
    assert answer.status_code == 400 and "loopback" in answer.text


def test_state_from_another_sign_in_is_refused():
    signin = BrowserSignIn(timeout=1)
    with pytest.raises(Refused):
        signin.check({"state": ["other"], "code": ["x"]})
    signin.listener.server_close()
