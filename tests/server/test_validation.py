"""Every bad input: a clear 4xx naming the field, and nothing written to the audit trail or events."""
import json
import sqlite3

import pytest
import requests

from server.demo import PASSWORDS as DEMO_PASSWORDS
from server.services.people import passwords
from server.services.core.errors import ValidationError
from support.server import OWNER_PASSWORD, USER_PASSWORD, run_cli

GOOD = "a-long-enough-pass"  # the user rules are tested on other fields: this one passes


def counts(server):
    path = server.db_path
    with sqlite3.connect("file:%s?mode=ro" % path, uri=True) as conn:
        return tuple(conn.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
                     for table in ("task_progress", "event", "task"))


@pytest.fixture(scope="module")
def mine(company):
    employee = company.user()
    return employee, company.task(employee)


BAD_PROGRESS = [
    ({"progress_percentage": -1}, "progress_percentage"),
    ({"progress_percentage": 101}, "progress_percentage"),
    ({"progress_percentage": "50"}, "progress_percentage"),
    ({"progress_percentage": 50.5}, "progress_percentage"),
    ({"progress_percentage": True}, "progress_percentage"),
    ({"progress_percentage": None}, "progress_percentage"),
    ({}, "progress_percentage"),
    ({"progress_percentage": 10, "notes": "x" * 2001}, "notes"),
    ({"progress_percentage": 10, "notes": 5}, "notes"),
    ({"progress_percentage": 10, "occupancy_status": "SLEEPING"}, "occupancy_status"),
    ({"progress_percentage": 10, "client_update_id": "k" * 65}, "client_update_id"),
    ({"progress_percentage": 10, "client_update_id": ""}, "client_update_id"),
    ({"progress_percentage": 10, "client_timestamp": "yesterday"}, "client_timestamp"),
    ({"progress_percentage": 10, "assignee_id": 1}, "assignee_id"),
]


@pytest.mark.parametrize("body,field", BAD_PROGRESS, ids=[json.dumps(b)[:40] for b, _ in BAD_PROGRESS])
def test_bad_progress_is_400_with_field_and_writes_nothing(server, mine, body, field):
    employee, task = mine
    before = counts(server)
    answer = employee.post("/api/task/%d/progress/" % task["id"], body)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and error["field"] == field and error["message"]
    assert counts(server) == before


def raw_post(employee, task, data, content_type="application/json", extra=None):
    headers = dict(employee.headers(), **{"Content-Type": content_type}, **(extra or {}))
    return requests.post(employee.base_url + "/api/task/%d/progress/" % task["id"], data=data,
                         headers=headers, timeout=30)


@pytest.mark.parametrize("data,content_type,status,code", [
    (b"{not json", "application/json", 400, "bad_request"),
    (b"[1, 2]", "application/json", 400, "validation_error"),
    (b"\xff\xfe", "application/json", 400, "bad_request"),
    (b'{"progress_percentage": 10}', "text/plain", 415, "unsupported_media_type"),
    (b"progress_percentage=10", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    (json.dumps({"progress_percentage": 10, "notes": "n" * 70000}).encode(), "application/json", 413,
     "body_too_large"),
    (b'{"progress_percentage": 10, "notes": "\\ud800"}', "application/json", 400, "bad_request"),
    (b'{"progress_percentage": NaN}', "application/json", 400, "bad_request"),
    (b'{"progress_percentage": 10} trailing', "application/json", 400, "bad_request"),
], ids=["malformed", "not-an-object", "not-utf8", "text-plain", "form", "oversized", "lone-surrogate",
        "nan", "trailing-data"])
def test_malformed_bodies_are_refused_and_write_nothing(server, mine, data, content_type, status, code):
    employee, task = mine
    before = counts(server)
    answer = raw_post(employee, task, data, content_type)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code
    assert counts(server) == before


def test_huge_body_is_refused_without_reading_it(server, mine):
    employee, task = mine
    before = counts(server)
    answer = raw_post(employee, task, b"{" + b" " * (8 * 1024 * 1024) + b"}")
    assert answer.status_code == 413
    assert counts(server) == before


@pytest.mark.parametrize("body,field", [
    ({"assignee_id": 1}, "title"),
    ({"title": "", "assignee_id": 1}, "title"),
    ({"title": "t" * 201, "assignee_id": 1}, "title"),
    ({"title": "ok"}, "assignee_id"),
    ({"title": "ok", "assignee_id": 999999}, "assignee_id"),
    ({"title": "ok", "assignee_id": "1"}, "assignee_id"),
    ({"title": "ok", "assignee_id": 1, "priority": "CRITICAL"}, "priority"),
    ({"title": "ok", "assignee_id": 1, "due_date": "next week"}, "due_date"),
    ({"title": "ok", "assignee_id": 1, "project_id": 999999}, "project_id"),
    ({"title": "ok", "assignee_id": 1, "description": "d" * 10001}, "description"),
    ({"title": "ok", "assignee_id": 1, "status": "DONE"}, "status"),
])
def test_bad_task_creation_is_400_and_writes_nothing(server, company, body, field):
    before = counts(server)
    answer = company.owner.post("/api/admin/tasks/", body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == field
    assert counts(server) == before


@pytest.mark.parametrize("body,field", [
    ({"status": "DONE"}, "status"),
    ({"progress_percentage": 50}, "progress_percentage"),
    ({"version": 99}, "version"),
    ({"assignee_id": 999999}, "assignee_id"),
    ({"title": None}, "title"),
    ({}, None),
])
def test_bad_task_edit_is_400_and_changes_nothing(server, company, mine, body, field):
    _employee, task = mine
    before = counts(server), company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()
    answer = company.owner.patch("/api/admin/tasks/%d/" % task["id"], body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == field
    assert (counts(server), company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()) == before


@pytest.mark.parametrize("body,field", [
    ({}, "occupancy_status"),
    ({"occupancy_status": "AWAY"}, "occupancy_status"),
    ({"occupancy_status": "IDLE", "idle_seconds": -5}, "idle_seconds"),
    ({"occupancy_status": "IDLE", "idle_seconds": "5"}, "idle_seconds"),
])
def test_bad_heartbeat_is_400(server, mine, body, field):
    employee, _task = mine
    before = counts(server)
    answer = employee.post("/api/heartbeat/", body)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == field
    assert counts(server) == before


@pytest.mark.parametrize("body,field", [
    ({"username": "ab", "password": GOOD}, "username"),
    ({"username": "bad name!", "password": GOOD}, "username"),
    ({"username": "shortpw", "password": "short"}, "password"),
    ({"username": "badrole", "password": GOOD, "role": "KING"}, "role"),
])
def test_bad_user_creation_is_400(company, body, field):
    answer = company.owner.post("/api/admin/users/", body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == field


def test_taken_username_and_project_name_are_409(company):
    taken = company.owner.post("/api/admin/users/", {"username": "root", "password": GOOD})
    assert taken.status_code == 409 and taken.json()["error"]["field"] == "username"
    name = "Unique %s" % company.user().user["id"]
    assert company.owner.post("/api/admin/projects/", {"name": name}).status_code == 201
    again = company.owner.post("/api/admin/projects/", {"name": name})
    assert again.status_code == 409 and again.json()["error"]["field"] == "name"


def test_ids_beyond_the_id_range_are_404_or_400(mine):
    employee, _task = mine
    assert employee.post("/api/task/99999999999/progress/", {"progress_percentage": 5}).status_code == 404
    assert employee.get("/api/employee-tasks/?status=").status_code == 400


def test_wrong_method_is_405_in_the_error_shape(mine):
    employee, task = mine
    answer = employee.request("DELETE", "/api/task/%d/progress/" % task["id"])
    assert answer.status_code == 405 and answer.json()["error"]["code"] == "method_not_allowed"
    assert answer.headers["Allow"] == "POST"


def test_unknown_path_is_404_in_the_error_shape(mine):
    answer = mine[0].get("/api/does-not-exist/")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------- the password rule

ACCEPTED = [
    "correct horse battery staple",  # a passphrase, spaces and all
    "  leading and trailing spaces  ",
    "Zwölf Boxkämpfer jagen Viktor",  # any printable Unicode
    "пароль-для-трекера",
    "🐎 horse 🔋 battery 📎",
    "x7#Kq!vR2p@Lm9$w" * 16,  # the longest: 256 characters
    "\u00a0nbsp-inside-it\u00a0ok",  # a no-break space is printable
]
REFUSED = [
    "eleven-char",  # 11: too short
    "x7#Kq!vR2p@Lm9$w" * 16 + "x",  # 257: too long
    "tab\tinside-the-password",
    "newline\ninside-the-password",
    "nul\x00inside-the-password",
    "\u3000" * 12,  # only (ideographic) spaces
    "password1234", "iloveyou1234", "P@ssw0rd1234", "1qaz2wsx3edc",  # common, l33t, keyboard
    "abcdefghijklmnop", "drowssapdrowssap",  # a sequence, a reversed repeat
]


@pytest.mark.parametrize("password", ACCEPTED)
def test_the_password_rule_accepts(password):
    assert passwords.check_common(passwords.check_shape(password, "someone")) == password


@pytest.mark.parametrize("password", REFUSED)
def test_the_password_rule_refuses(password):
    with pytest.raises(ValidationError) as refused:
        passwords.check_common(passwords.check_shape(password, "someone"))
    assert refused.value.field == "password"


def test_the_password_may_not_be_the_username_in_any_case():
    with pytest.raises(ValidationError):
        passwords.check_shape("Long.User_Name", "long.user_name")


@pytest.mark.parametrize("password", [OWNER_PASSWORD, USER_PASSWORD, GOOD])
def test_the_test_passwords_pass_the_rule(password):
    passwords.check_common(passwords.check_shape(password))


@pytest.mark.parametrize("password", sorted(set(DEMO_PASSWORDS.values())))
def test_the_demo_passwords_are_built_from_product_words_and_refused(password):
    """The demo company's passwords are printed for anyone to try; nobody may choose one."""
    with pytest.raises(ValidationError):
        passwords.check_common(passwords.check_shape(password))


def test_the_username_as_password_is_refused_at_creation_and_change(company):
    made = company.owner.post("/api/admin/users/", {"username": "samename_user",
                                                    "password": "SameName_User"})
    assert made.status_code == 400 and made.json()["error"]["field"] == "password"
    other = company.owner.post("/api/admin/users/", {"username": "samename_other", "password": GOOD})
    changed = company.owner.patch("/api/admin/users/%d/" % other.json()["id"],
                                  {"password": "SAMENAME_other"})
    assert changed.status_code == 400 and changed.json()["error"]["field"] == "password"


def test_a_new_password_is_used_exactly_as_given(server, company):
    employee = company.user()
    phrase = " ünïcode pass phrase "
    assert company.owner.patch("/api/admin/users/%d/" % employee.user["id"],
                               {"password": phrase}).status_code == 200
    login = lambda password: requests.post(server.url + "/api/auth/token/", timeout=30, json={
        "username": employee.user["username"], "password": password}).status_code
    assert login(phrase.strip()) == 401 and login(phrase) == 200


def test_the_command_line_applies_the_same_rule(tmp_path):
    url = "sqlite:///%s" % (tmp_path / "cli.db")
    for weak in ("password1234", "qwertyuiopas", "ferdinand-x"):
        refused = run_cli("adduser", "fred", "--role", "OWNER", "--password", weak, db_url=url,
                          check=False)
        assert refused.returncode == 2 and "password" in refused.stderr, refused.stderr
    assert run_cli("adduser", "fred", "--role", "OWNER", "--password", GOOD, db_url=url).returncode == 0
