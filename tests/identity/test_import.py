"""CSV import: the command line (dry run changes nothing, one bad row imports nothing, a re-import
updates) and the People page (upload, preview with each row's errors, apply), invitations with a
one-time link that sets the password."""
import re

import pytest
import requests

from support.browser import browser, new_context, sign_in  # noqa: F401  (the browser fixture)
from support.client import Api
from support.server import run_cli, server_env, start_server
from support.smtp import Mailbox

GOOD = """username,full_name,email,role,teams
olga,Olga Ortiz,olga@example.com,EMPLOYEE,Sales
pete,Pete Park,,employee,Sales:lead;Support
"""
BAD = """username,full_name,email,role,teams
quinn,Quinn,quinn@example.com,EMPLOYEE,
x,Too Short,not-an-address,CHIEF,Sales:boss
quinn,Quinn Twice,,EMPLOYEE,
"""


def usernames(company):
    return {u["username"]: u for u in company.owner.get("/api/admin/users/?limit=500").json()["users"]}


def run_import(server, tmp_path, text, *flags):
    path = tmp_path / "people.csv"
    path.write_text(text)
    return run_cli("import-users", str(path), *flags, db_url=server.db_url, env=server_env(),
                   check=False)


def test_dry_run_changes_nothing(server, company, tmp_path):
    run = run_import(server, tmp_path, GOOD, "--dry-run")
    assert run.returncode == 0, run.stderr
    assert "line 2: create olga" in run.stdout and "dry run: nothing changed" in run.stdout
    assert "olga" not in usernames(company)


def test_one_bad_row_imports_nothing_and_every_error_is_printed(server, company, tmp_path):
    run = run_import(server, tmp_path, BAD)
    assert run.returncode == 1
    assert "line 3 (x): username must be 3-64 letters and digits" in run.stderr
    assert "email must be an e-mail address" in run.stderr
    assert "role must be one of EMPLOYEE, ADMIN, OWNER" in run.stderr
    assert 'team "Sales:boss"' in run.stderr
    assert "line 4 (quinn): username quinn is in the file twice" in run.stderr
    assert "nothing imported" in run.stderr
    assert "quinn" not in usernames(company)


def test_import_then_reimport_updates_never_duplicates(server, company, tmp_path):
    run = run_import(server, tmp_path, GOOD)
    assert run.returncode == 0, run.stderr
    assert "2 created, 0 updated" in run.stdout
    people = usernames(company)
    assert people["olga"]["full_name"] == "Olga Ortiz" and people["olga"]["role"] == "EMPLOYEE"
    again = run_import(server, tmp_path, GOOD.replace("Olga Ortiz", "Olga Ortiz-Lee"))
    assert again.returncode == 0, again.stderr
    people = usernames(company)
    assert people["olga"]["full_name"] == "Olga Ortiz-Lee"
    assert [name for name in people if name.startswith("olga")] == ["olga"]


@pytest.mark.browser
def test_the_people_page_previews_then_applies_and_the_invitation_sets_a_password(
        browser, server, company, tmp_path):
    ctx = new_context(browser)
    page = ctx.new_page()
    sign_in(page, server.url, next_path="/dashboard/users/")
    page.click("#import-link")
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    page.set_input_files("#file", str(path))
    page.click("text=Check the file")
    assert "Nothing was imported" in page.text_content("#import-refused")
    assert page.locator("#import-rows tr.row-error").count() == 2
    assert page.locator("#import-apply").count() == 0
    path.write_text("username,full_name,email,role\nrita,Rita Ray,,EMPLOYEE\n")
    page.set_input_files("#file", str(path))
    page.click("text=Check the file")
    assert "rita" not in usernames(company)  # a preview changes nothing
    page.click("#import-apply")
    assert "1 added" in page.text_content("#import-done")
    assert "rita" in usernames(company)
    ctx.close()


def test_an_empty_file_is_refused_with_a_sentence(server):
    run = run_cli("import-users", "/dev/null", db_url=server.db_url, env=server_env(), check=False)
    assert run.returncode == 2 and "the first line must name the columns" in run.stderr


def test_an_invitation_mail_links_to_a_one_time_set_password_page(tmp_path):
    mailbox = Mailbox()
    srv = start_server(tmp_path, TRACKER_SMTP_URL=mailbox.url, TRACKER_MAIL_RETRY_SECONDS="1")
    try:
        run = run_cli("import-users", str(write(tmp_path, "username,email\nsara,sara@example.com\n")),
                      db_url=srv.db_url, env=server_env(TRACKER_SMTP_URL=mailbox.url,
                                                        TRACKER_MAIL_BASE_URL=srv.url), check=False)
        assert run.returncode == 0, run.stderr
        [mail] = mailbox.wait_for(1, where=lambda m: m["To"] == "sara@example.com")
        link = re.search(r"(http://\S+/invite/\S+)", mail.get_body(("plain",)).get_content()).group(1)
        session = requests.Session()
        form = session.get(link, timeout=30)
        assert form.status_code == 200 and "Choose a password" in form.text
        xsrf = session.cookies["_xsrf"]
        done = session.post(link, data={"password": "a sunny walk by the river", "_xsrf": xsrf},
                            timeout=30, allow_redirects=False)
        assert done.status_code == 302 and "invited=1" in done.headers["Location"]
        assert Api(srv.url).login("sara", "a sunny walk by the river").user["username"] == "sara"
        assert session.get(link, timeout=30).status_code == 404  # once only
    finally:
        srv.stop()
        mailbox.close()


def write(tmp_path, text):
    path = tmp_path / "invite.csv"
    path.write_text(text)
    return path


def test_the_teams_column_creates_teams_and_memberships(server, company, tmp_path):
    run = run_import(server, tmp_path, "username,teams\nvera,Night Shift:lead;Support\n")
    assert run.returncode == 0, run.stderr
    teams = company.owner.get("/api/admin/teams/").json()
    teams = teams["teams"] if isinstance(teams, dict) else teams
    by_name = {t["name"]: {m["user"]["username"]: m["role"] for m in t["members"]} for t in teams}
    assert by_name["Night Shift"]["vera"] == "lead" and by_name["Support"]["vera"] == "member"
