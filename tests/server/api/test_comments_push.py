"""comment.* push events: what they carry and who receives them."""
from support.push import connect, recv_json


def drain_to(ws, event_type):
    while True:
        message = recv_json(ws)
        if message.get("type") == event_type:
            return message


def test_comment_events_reach_whoever_sees_the_task_and_nobody_else(company, server):
    employee, outsider, admin = company.user(), company.user(), company.user("ADMIN")
    task = company.task(employee)
    sockets = {name: connect(server, api) for name, api in
               (("employee", employee), ("outsider", outsider), ("admin", admin))}
    try:
        made = admin.post("/api/task/%d/comments/" % task["id"],
                          {"body": "@%s look" % employee.user["username"]}).json()
        employee.patch("/api/comments/%d/" % made["id"], {"body": "x"})  # not the author: 403
        employee_says = employee.post("/api/task/%d/comments/" % task["id"], {"body": "ok"}).json()
        employee.patch("/api/comments/%d/" % employee_says["id"], {"body": "ok!"})
        admin.request("DELETE", "/api/comments/%d/" % employee_says["id"])
        for name in ("employee", "admin"):
            created = drain_to(sockets[name], "comment.created")
            assert created["comment"] == made and created["task"]["comment_count"] == 1
            edited = drain_to(sockets[name], "comment.edited")
            assert edited["comment"]["body"] == "ok!" and edited["comment"]["revision"] == 2
            deleted = drain_to(sockets[name], "comment.deleted")
            assert deleted["comment"]["deleted"] and deleted["comment"]["body"] is None
            assert deleted["task"]["comment_count"] == 1
        # The outsider's socket saw none of it: a later event of their own comes first.
        own = company.task(outsider)
        message = recv_json(sockets["outsider"])
        while message.get("type") != "task.created":
            assert not message.get("type", "").startswith("comment."), message
            message = recv_json(sockets["outsider"])
        assert message["task"]["id"] == own["id"]
    finally:
        for ws in sockets.values():
            ws.close()
