"""HTTP calls to a real server as a user, and a Company that fills it through the API."""
import secrets
import uuid

import requests

from .server import OWNER_PASSWORD, USER_PASSWORD


class Api:
    """HTTP calls to the server, with or without a bearer token. Each call has its own connection,
    closed when the call returns: no pooled socket outlives its server to leak into a later test."""

    def __init__(self, base_url, token=None, user=None):
        self.base_url, self.token, self.user = base_url, token, user

    def headers(self, extra=None):
        headers = {"Authorization": "Bearer %s" % self.token} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(self, method, path, json=None, headers=None, **kwargs):
        kwargs.setdefault("timeout", 30)
        return requests.request(method, self.base_url + path, json=json,
                                headers=self.headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def history(self, task_id):
        """Every audit row of a task, newest first, through all of the history's pages."""
        rows, before = [], None
        while True:
            page = self.get("/api/task/%d/history/?limit=500%s"
                            % (task_id, "&before=%d" % before if before else "")).json()
            rows += page["updates"]
            before = page.get("next")
            if not before:
                return rows

    def login(self, username, password):
        answer = requests.post(self.base_url + "/api/auth/token/",
                               json={"username": username, "password": password}, timeout=30)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return Api(self.base_url, body["token"], body["user"])


class Company:
    """Creates users, projects and tasks through the real API as the owner."""

    def __init__(self, server):
        self.server = server
        self.owner = Api(server.url).login("root", OWNER_PASSWORD)

    def user(self, role="EMPLOYEE", name=None):
        name = name or "%s_%s" % (role.lower(), uuid.uuid4().hex[:8])
        answer = self.owner.post("/api/admin/users/", {"username": name, "full_name": name.title(),
                                                       "role": role, "password": USER_PASSWORD})
        assert answer.status_code == 201, answer.text
        return Api(self.server.url).login(name, USER_PASSWORD)

    def task(self, assignee, **fields):
        body = {"title": "Task %s" % secrets.token_hex(3), "assignee_id": assignee.user["id"]}
        body.update(fields)
        answer = self.owner.post("/api/admin/tasks/", body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def old_task(self, assignee, days=1, **fields):
        """A task created `days` ago: its assignee may track time on it in the past."""
        from .aging import backdate_task
        task = self.task(assignee, **fields)
        backdate_task(self.server.db_url, task["id"], int(days * 86400))
        return task
