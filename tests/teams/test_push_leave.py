"""A task given away from a team: the team's lead and viewer hear only that it left (its id,
`outside_scope`), on both transports, and nothing of where it went; the monitor drops it."""
import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, browser, card, sign_in, wait_live  # noqa: F401
from support.push import connect, long_poll, recv_json
from support.server import USER_PASSWORD


def test_a_task_reassigned_out_of_the_team_arrives_as_a_bare_notice(server, company, teams):
    alpha, bravo = teams
    lead, viewer = alpha.people["lead"], alpha.people["viewer"]
    cursor = lead.get("/api/admin/task-status/").json()["cursor"]
    task = alpha.tasks[2]
    ws = connect(server, lead, after=cursor)
    try:
        moved = company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                                    {"assignee_id": bravo.people["member2"].user["id"]})
        assert moved.status_code == 200
        frame = recv_json(ws)
    finally:
        ws.close()
    notice = {"id": frame["id"], "type": "task.changed", "at": frame["at"],
              "task": {"id": task["id"], "outside_scope": True}, "update": None, "employee": None}
    assert frame == notice
    assert long_poll(viewer, cursor, timeout=0)["events"] == [notice]
    assert task["id"] not in {t["id"] for t in lead.get("/api/admin/task-status/").json()["tasks"]}
    assert lead.get("/api/admin/tasks/%d/" % task["id"]).status_code == 404
    # ... and back: it is Alpha's again, whole.
    back = company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                               {"assignee_id": alpha.people["member1"].user["id"]})
    events = long_poll(viewer, frame["id"], timeout=5)["events"]
    assert events[-1]["task"]["version"] == back.json()["version"] and "bravo" not in repr(events).lower()


@pytest.mark.browser
def test_the_leads_monitor_drops_a_task_given_away(server, company, teams, browser):
    alpha, bravo = teams
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, server.url, username=alpha.people["lead"].user["username"], password=USER_PASSWORD)
        task = alpha.tasks[1]
        expect(card(page, task["id"])).to_be_visible()
        wait_live(page)
        company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                            {"assignee_id": bravo.people["member1"].user["id"]})
        expect(card(page, task["id"])).to_have_count(0, timeout=WAIT_MS)
        # (the first test gave a task to Bravo and back: its own trail names who had it)
        assert not any(other["title"] in page.content() for other in bravo.tasks)
    finally:
        context.close()
