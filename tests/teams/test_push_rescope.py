"""A team change reaches the sockets already open: an employee made a team's lead hears the
team's events on the socket they hold, and after leaving the team only their own again (the
fan-out groups live sockets by what they see, server/push/sockets.py, and regroups them)."""
from support.push import connect, progress, recv_json


def member_path(team, person):
    return "/api/admin/teams/%d/members/%d/" % (team.team["id"], person.user["id"])


def test_an_open_socket_follows_its_owner_into_a_team_and_out(server, company, teams):
    alpha, bravo = teams
    erin, alphas = bravo.people["member2"], alpha.people["member1"]
    erins_task, alphas_task = bravo.tasks[1], alpha.tasks[2]
    assert erins_task["assignee"]["id"] == erin.user["id"] and alphas_task["assignee"]["id"] == alphas.user["id"]
    ws = connect(server, erin)
    try:
        progress(alphas, alphas_task, 11)  # not Erin's to hear
        progress(erin, erins_task, 12)
        assert recv_json(ws)["task"]["id"] == erins_task["id"]

        lead = company.owner.request("PUT", member_path(alpha, erin), json={"role": "lead"})
        assert lead.status_code == 200, lead.text
        assert recv_json(ws)["type"] == "team.changed"  # the change that names her
        progress(alphas, alphas_task, 13)
        heard = recv_json(ws)
        assert heard["task"]["id"] == alphas_task["id"] and heard["task"]["progress_percentage"] == 13

        left = company.owner.request("DELETE", member_path(alpha, erin))
        assert left.status_code in (200, 204), left.text
        assert recv_json(ws)["type"] == "team.changed"
        progress(alphas, alphas_task, 14)  # Alpha's again, not hers
        progress(erin, erins_task, 15)
        after = recv_json(ws)
        assert after["task"]["id"] == erins_task["id"] and after["task"]["progress_percentage"] == 15
    finally:
        ws.close()
