"""Words a newcomer reads on the first day: the employee's 403 page, Assign's confirmation, the
password rule before any failure, and the first-run checklist of a fresh install."""
import re
import subprocess
import sys

import pytest

from server.services.people.passwords import RULE
from support.browser import form_session
from support.client import Company
from support.server import ROOT, USER_PASSWORD, server_env, start_server

DOWNLOAD = "https://intranet.example/tracker-desktop.zip"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh install (no demo), telling employees where the desktop app is."""
    srv = start_server(tmp_path_factory.mktemp("fresh"), TRACKER_DESKTOP_DOWNLOAD_URL=DOWNLOAD)
    yield srv
    srv.stop()


def page(http, srv, path):
    answer = http.get(srv.url + path, timeout=30)
    return answer.status_code, answer.text


def steps(html):
    """{step key: done} of the monitor's checklist ({} when it is not shown)."""
    return {key: done == "true" for key, done in
            re.findall(r'data-step="(\w+)" data-done="(true|false)"', html)}


def post_form(http, srv, path, **fields):
    return http.post(srv.url + path, data=dict(fields, _xsrf=http.cookies["_xsrf"]), timeout=30)


def test_checklist_ticks_each_step_as_the_company_takes_it_then_leaves(fresh):
    company = Company(fresh)
    admin = form_session(fresh.url)
    _, html = page(admin, fresh, "/dashboard/tasks/monitor/")
    assert steps(html) == {"people": False, "project": False, "task": False, "apps": False}
    assert "/app/" in html and DOWNLOAD in html
    refused = post_form(admin, fresh, "/dashboard/checklist/project/", name="   ")
    assert refused.status_code == 400 and 'id="cl-project-error"' in refused.text
    assert 'data-page-size="60"' in refused.text  # the monitor as its own page draws it
    assert company.owner.get("/api/admin/projects/").json()["projects"] == []
    employee = company.user()
    created = post_form(admin, fresh, "/dashboard/checklist/project/", name="Launch")
    assert created.status_code == 200 and "/dashboard/tasks/monitor/#checklist" in created.url
    assert steps(created.text) == {"people": True, "project": True, "task": False, "apps": True}
    taken = post_form(admin, fresh, "/dashboard/checklist/project/", name="Launch")
    assert taken.status_code == 409 and "Launch" in taken.text  # typed text kept beside the error
    company.task(employee)
    _, html = page(admin, fresh, "/dashboard/tasks/monitor/")
    assert steps(html) == {}  # every step done: the list has served its purpose


def test_checklist_can_be_hidden(tmp_path):
    srv = start_server(tmp_path)
    try:
        admin = form_session(srv.url)
        assert steps(page(admin, srv, "/dashboard/tasks/monitor/")[1])
        hidden = post_form(admin, srv, "/dashboard/checklist/dismiss/")
        assert hidden.status_code == 200 and steps(hidden.text) == {}
        assert steps(page(form_session(srv.url), srv, "/dashboard/tasks/monitor/")[1]) == {}
    finally:
        srv.stop()


def test_an_employee_on_the_dashboard_is_sent_to_the_web_app_and_the_download(fresh):
    employee = Company(fresh).user()
    http = form_session(fresh.url, employee.user["username"], USER_PASSWORD)
    status, html = page(http, fresh, "/dashboard/tasks/monitor/")
    assert status == 403
    assert 'href="/app/"' in html and 'href="%s"' % DOWNLOAD in html
    assert "python -m" not in html and "desktop_client" not in html


def test_assign_says_where_the_task_appears(fresh):
    company = Company(fresh)
    employee = company.user()
    admin = form_session(fresh.url)
    _, form = page(admin, fresh, "/dashboard/tasks/assign/")
    assert "web app and the desktop app" in form
    done = post_form(admin, fresh, "/dashboard/tasks/assign/", title="Count the stock",
                     assignee_id=str(employee.user["id"]), priority="MEDIUM", description="",
                     project_id="", due_date="", tz_offset="0", estimate="")
    assert done.status_code == 200, done.text[:500]
    notice = re.search(r'<div class="notice notice-ok" role="status" id="created"[^>]*>(.*?)</div>',
                       done.text, re.S).group(1)
    assert "web app and desktop app" in notice


def test_the_password_rule_shows_before_any_failure(fresh):
    _, html = page(form_session(fresh.url), fresh, "/dashboard/users/")
    field = re.search(r'<input id="u-password"[^>]*>', html, re.S).group(0)
    assert 'aria-describedby="uh-password' in field
    hint = re.search(r'<span class="hint" id="uh-password">(.*?)</span>', html).group(1)
    assert hint == RULE.replace("'", "&#39;") and "12 characters" in hint
    assert 'class="field-error"' not in html


def test_adduser_prints_the_rule_before_it_prompts(tmp_path):
    """Without a terminal (a new session has none) getpass reads stdin; the rule comes first."""
    proc = subprocess.run([sys.executable, "-m", "server", "adduser", "newbie", "--role", "EMPLOYEE",
                           "--db", "sqlite:///%s" % (tmp_path / "cli.db")],
                          input="short\nshort\n", capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=server_env(), start_new_session=True)
    assert proc.returncode == 2 and RULE in proc.stderr
    assert proc.stderr.index(RULE) < proc.stderr.index("Password for newbie")
