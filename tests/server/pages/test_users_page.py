"""The people page in Chromium: add a user with an address, set, refuse and clear one; axe-clean,
and the page changes nothing on a refusal."""
import uuid

import pytest
from playwright.sync_api import expect

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import browser, form_session, sign_in  # noqa: F401
from support.server import USER_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def audited(browser):
    ctx = audit_context(browser)
    yield ctx
    ctx.close()


def find(company, username):
    return [u for u in company.owner.get("/api/admin/users/?limit=500").json()["users"]
            if u["username"] == username][0]


def test_an_admin_adds_a_user_with_an_address_and_edits_it(server, company, audited):
    axe = axe_source()
    page = audited.new_page()
    sign_in(page, server.url, next_path="/dashboard/users/")
    assert_clean(page, axe)
    name = "mailer_%s" % uuid.uuid4().hex[:6]
    page.fill("#u-username", name)
    page.fill("#u-full_name", "Mia <b>Mail</b>")
    page.fill("#u-email", "mia@example.com")
    page.fill("#u-password", USER_PASSWORD + "-x9")
    page.click("form[aria-labelledby=add-user-title] button[type=submit]")
    expect(page.locator("[role=status].notice-ok")).to_contain_text("added")
    user = find(company, name)
    assert user["email"] == "mia@example.com" and user["full_name"] == "Mia <b>Mail</b>"
    row = page.locator("#people tr[data-user='%d']" % user["id"])
    expect(row).to_contain_text("Mia <b>Mail</b>")  # text, not markup
    row.locator("input[name=email]").fill("not-an-address")
    page.evaluate("document.querySelectorAll('input[type=email]').forEach(i => i.type = 'text')")
    row.locator("form[action$='/email/'] button").click()
    field = page.locator("#e-%d" % user["id"])
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err-%d" % user["id"])).to_contain_text("must be an e-mail address")
    assert_clean(page, axe)
    assert find(company, name)["email"] == "mia@example.com"  # refused: nothing written
    field.fill("")
    page.locator("#people tr[data-user='%d'] form[action$='/email/'] button" % user["id"]).click()
    expect(page.locator("[role=status].notice-ok")).to_contain_text("saved")
    assert find(company, name)["email"] is None


def test_refusals_answer_400_and_forms_need_xsrf(server, company):
    http = form_session(server.url)
    target = company.user()
    url = server.url + "/dashboard/users/%d/email/" % target.user["id"]
    bad = http.post(url, data={"email": "x@y", "_xsrf": http.cookies["_xsrf"]}, timeout=30)
    assert bad.status_code == 400 and "must be an e-mail address" in bad.text
    forged = http.post(url, data={"email": "ok@example.com"}, timeout=30)
    assert forged.status_code == 403
    created = http.post(server.url + "/dashboard/users/", timeout=30, data={
        "username": "no_good_mail", "password": USER_PASSWORD, "email": "nope",
        "_xsrf": http.cookies["_xsrf"]})
    assert created.status_code == 400 and 'id="ue-email"' in created.text
    assert find(company, target.user["username"])["email"] is None
    names = [u["username"] for u in company.owner.get("/api/admin/users/?limit=500").json()["users"]]
    assert "no_good_mail" not in names
