"""SCIM for the tests (no tests here): `scim()`, one raw request with the bearer token; the
Groups tests' bodies, reads and checks; and for the compliance checks scim2-client's synchronous
client over `requests` (the engine scim2-client ships needs another HTTP library; this is its
small contract)."""
import json
import sqlite3
import uuid

import requests
from scim2_client import BaseSyncSCIMClient

from support.push import long_poll

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
MISSING = 2147480000  # no user's id, no team's
TABLES = ("team_log", "team", "team_member", "scim_group", "scim_member")
SCIM_JSON = {"Content-Type": "application/scim+json"}


def scim(server, token, method, path, body=None):
    return requests.request(method, server.url + "/scim/v2" + path, json=body, timeout=30,
                            headers=dict(SCIM_JSON, Authorization="Bearer %s" % token))


def fresh_name(word="Crew"):
    return "%s %s" % (word, uuid.uuid4().hex[:8])


def group(name, *user_ids, **extra):
    body = {"schemas": [GROUP], "displayName": name,
            "members": [{"value": str(user_id)} for user_id in user_ids]}
    body.update(extra)
    return body


def ops(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


def uid(api):
    return api.user["id"]


def made(server, token, body):
    answer = scim(server, token, "POST", "/Groups", body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def patched(server, token, group_id, *operations):
    answer = scim(server, token, "PATCH", "/Groups/%s" % group_id, ops(*operations))
    assert answer.status_code == 200, answer.text
    return answer.json()


def roles(company, team_id):
    answer = company.owner.get("/api/admin/teams/%s/" % team_id)
    assert answer.status_code == 200, answer.text
    return {m["user"]["id"]: m["role"] for m in answer.json()["members"]}


def rows(server, query, *args):
    with sqlite3.connect(server.db_path) as conn:
        return conn.execute(query, args).fetchall()


def written(server):
    """Everything a refusal must leave alone: teams, memberships, their log, SCIM's own rows."""
    return [rows(server, "SELECT * FROM %s ORDER BY 1" % table) for table in TABLES]


def cursor_of(api):
    return api.get("/api/admin/task-status/").json()["cursor"]


def team_events(api, after):
    return [(e["team"]["id"], e["team"]["change"]["action"])
            for e in long_poll(api, after, timeout=0)["events"] if e["type"] == "team.changed"]


def refused(answer, status, scim_type=None):
    """A SCIM Error: its schema, the status as a string, a scimType where one fits, a detail."""
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/scim+json")
    body = answer.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status) and body["detail"], body
    assert body.get("scimType") == scim_type, body
    return body["detail"]


class RequestsScimClient(BaseSyncSCIMClient):
    def __init__(self, base_url, token, **kwargs):
        super().__init__(**kwargs)
        self.base_url, self.token = base_url.rstrip("/"), token

    def request(self, method, url, json=None, params=None, **kwargs):
        headers = {"Authorization": "Bearer %s" % self.token, "Accept": "application/scim+json"}
        body = None
        if json is not None:
            headers["Content-Type"] = "application/scim+json"
            body = _dumps(json)
        target = url if url.startswith("http") else self.base_url + url
        return requests.request(method, target, data=body, params=params, headers=headers,
                                timeout=30, **kwargs)


def _dumps(payload):
    return json.dumps(payload)
