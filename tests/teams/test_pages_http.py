"""The pages over HTTP as a lead, a viewer and the owner: what each is offered (navigation,
write controls), the team's tasks only, and a task of another team answering as a missing one."""
import re

import pytest
import requests

from support.browser import form_session
from support.server import OWNER_PASSWORD, USER_PASSWORD


def page_session(server, who):
    session = form_session(server.url, who, USER_PASSWORD if who != "root" else OWNER_PASSWORD)
    return session


def nav_links(html):
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


@pytest.fixture(scope="module")
def sessions(server, teams):
    alpha, _bravo = teams
    return {who: page_session(server, alpha.people[who].user["username"]) for who in ("lead", "viewer")}


def test_navigation_shows_only_what_each_may_use(server, sessions):
    lead = nav_links(sessions["lead"].get(server.url + "/dashboard/tasks/monitor/").text)
    viewer = nav_links(sessions["viewer"].get(server.url + "/dashboard/tasks/monitor/").text)
    assert "/dashboard/tasks/assign/" in lead and "/dashboard/tasks/assign/" not in viewer
    for links in (lead, viewer):
        assert "/dashboard/tasks/statistics/" in links
        assert not {"/dashboard/users/", "/dashboard/teams/", "/dashboard/webhooks/",
                    "/dashboard/projects/"} & set(links)
    owner = page_session(server, "root")
    assert {"/dashboard/users/", "/dashboard/teams/", "/dashboard/projects/"} <= set(
        nav_links(owner.get(server.url + "/dashboard/tasks/monitor/").text))


def test_admin_pages_refuse_leads_and_viewers(server, sessions):
    for session in sessions.values():
        for path in ("/dashboard/users/", "/dashboard/teams/", "/dashboard/projects/", "/dashboard/webhooks/"):
            assert session.get(server.url + path).status_code == 403, path
    assert sessions["viewer"].get(server.url + "/dashboard/tasks/assign/").status_code == 403


def test_a_viewers_task_page_has_no_write_controls_and_refuses_writes(server, sessions, teams):
    alpha, _bravo = teams
    task = alpha.tasks[0]
    viewer = sessions["viewer"]
    html = viewer.get(server.url + "/dashboard/tasks/%d/" % task["id"]).text
    assert task["title"] in html and 'id="read-only"' in html
    assert "data-task-form" not in html and "comment-form" not in html and "Unlink" not in html
    token = viewer.cookies.get("_xsrf")
    refused = viewer.post(server.url + "/dashboard/tasks/%d/" % task["id"],
                          data={"_xsrf": token, "action": "cancel"})
    assert refused.status_code == 403
    lead_html = sessions["lead"].get(server.url + "/dashboard/tasks/%d/" % task["id"]).text
    assert "data-task-form" in lead_html and "comment-form" in lead_html


def test_another_teams_task_page_is_a_missing_one(server, sessions, teams):
    _alpha, bravo = teams
    for session in sessions.values():
        theirs = session.get(server.url + "/dashboard/tasks/%d/" % bravo.tasks[0]["id"])
        missing = session.get(server.url + "/dashboard/tasks/2147480000/")
        assert theirs.status_code == missing.status_code == 404
        assert "bravo" not in theirs.text.lower()


def test_the_scoped_monitor_data_and_statistics_page_hold_only_the_team(server, sessions, teams):
    alpha, bravo = teams
    for session in sessions.values():
        data = session.get(server.url + "/dashboard/tasks/monitor/snapshot.json")
        assert data.status_code == 200 and "bravo" not in data.text.lower()
        assert {t["id"] for t in data.json()["tasks"]} == {t["id"] for t in alpha.tasks}
        ids = ",".join(str(t["id"]) for t in alpha.tasks + bravo.tasks)
        updates = session.get(server.url + "/api/admin/task-updates/?ids=" + ids)
        assert updates.status_code == 200 and "bravo" not in updates.text.lower()
        assert set(updates.json()["updates"]) == {str(t["id"]) for t in alpha.tasks}
        stats = session.get(server.url + "/dashboard/tasks/statistics/")
        assert stats.status_code == 200 and "bravo" not in stats.text.lower()


def test_the_web_app_offers_the_dashboard_to_leads_and_viewers_only(server, sessions, teams):
    alpha, _bravo = teams
    for session in sessions.values():
        assert 'id="open-dashboard"' in session.get(server.url + "/app/").text
    member = page_session(server, alpha.people["member1"].user["username"])
    assert 'id="open-dashboard"' not in member.get(server.url + "/app/").text
    assert member.get(server.url + "/dashboard/tasks/monitor/").status_code == 403


def test_statistics_by_team_and_a_team_outside_answers_as_missing(server, sessions, teams):
    alpha, bravo = teams
    lead = sessions["lead"]
    mine = lead.get(server.url + "/dashboard/tasks/statistics/?team=%d" % alpha.team["id"])
    assert mine.status_code == 200 and 'id="team-table"' in mine.text
    theirs = lead.get(server.url + "/dashboard/tasks/statistics/?team=%d" % bravo.team["id"])
    missing = lead.get(server.url + "/dashboard/tasks/statistics/?team=2147480000")
    assert theirs.status_code == missing.status_code == 400
    assert "bravo" not in theirs.text.lower()


def test_a_catch_up_names_only_the_teams_tasks_and_one_given_away(server, company, sessions, teams):
    """snapshot.json?since= (a page back after a while) holds what the events the reader sees
    name: a Bravo change is not there, an Alpha task given to a Bravo member is only `gone`."""
    alpha, bravo = teams
    snapshot = "/dashboard/tasks/monitor/snapshot.json"
    cursors = {who: session.get(server.url + snapshot).json()["cursor"] for who, session in sessions.items()}
    owner = company.owner
    given = company.task(alpha.people["member1"], title="Alpha errand to hand over")
    assert owner.patch("/api/admin/tasks/%d/" % bravo.tasks[0]["id"], {"priority": "URGENT"}).ok
    assert owner.patch("/api/admin/tasks/%d/" % alpha.tasks[0]["id"], {"priority": "URGENT"}).ok
    assert owner.patch("/api/admin/tasks/%d/" % given["id"],
                       {"assignee_id": bravo.people["member1"].user["id"]}).ok
    for who, session in sessions.items():
        changes = session.get(server.url + snapshot + "?since=%d" % cursors[who])
        assert changes.status_code == 200 and "bravo" not in changes.text.lower()
        body = changes.json()
        assert [task["id"] for task in body["tasks"]] == [alpha.tasks[0]["id"]]
        assert body["gone"] == [given["id"]]
        assert {person["id"] for person in body["employees"]} <= alpha.ids
        refused = session.get(server.url + snapshot + "?since=x")
        assert refused.status_code == 400
