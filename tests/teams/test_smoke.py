"""Smoke: the two-team company builds; a lead's snapshot holds their team's tasks only."""


def test_lead_snapshot_holds_only_their_team(teams):
    alpha, bravo = teams
    lead = alpha.people["lead"]
    body = lead.get("/api/admin/task-status/")
    assert body.status_code == 200, body.text
    ids = {task["id"] for task in body.json()["tasks"]}
    assert ids == {task["id"] for task in alpha.tasks}
    assert "bravo" not in body.text
