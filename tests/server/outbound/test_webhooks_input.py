"""Webhook registration refuses bad input with a clear 400 and writes nothing; ids are checked."""
import pytest

HOOKS = "/api/admin/webhooks/"
GOOD = {"url": "https://1.1.1.1/hook", "events": ["*"]}


def hook_count(company):
    return len(company.owner.get(HOOKS).json()["webhooks"])


@pytest.mark.parametrize("body, field", [
    ({"url": "http://127.0.0.1:9/x", "events": ["*"]}, "url"),
    ({"url": "http://localhost:9/x", "events": ["*"]}, "url"),
    ({"url": "http://10.1.2.3/x", "events": ["*"]}, "url"),
    ({"url": "http://169.254.169.254/latest/meta-data/", "events": ["*"]}, "url"),
    ({"url": "http://[::1]/x", "events": ["*"]}, "url"),
    ({"url": "http://[::ffff:127.0.0.1]/x", "events": ["*"]}, "url"),
    ({"url": "ftp://example.com/x", "events": ["*"]}, "url"),
    ({"url": "https:///nohost", "events": ["*"]}, "url"),
    ({"url": "https://user:pw@example.com/x", "events": ["*"]}, "url"),
    ({"url": "https://example.com:99999/x", "events": ["*"]}, "url"),
    ({"url": "https://no-such-host.invalid/x", "events": ["*"]}, "url"),
    ({"url": 5, "events": ["*"]}, "url"),
    ({"events": ["*"]}, "url"),
    ({"url": "https://1.1.1.1/x", "events": []}, "events"),
    ({"url": "https://1.1.1.1/x", "events": ["task.exploded"]}, "events"),
    ({"url": "https://1.1.1.1/x", "events": "*"}, "events"),
    ({"url": "https://1.1.1.1/x", "events": ["*"], "format": "xml"}, "format"),
    ({"url": "https://1.1.1.1/x", "events": ["*"], "secret": "mine"}, "secret"),
    ({"url": "https://1.1.1.1/x", "events": ["*"], "description": "x" * 501}, "description"),
])
def test_bad_registration_is_refused_and_nothing_written(company, body, field):
    before = hook_count(company)
    answer = company.owner.post(HOOKS, body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == field
    assert hook_count(company) == before


def test_body_must_be_a_json_object(company):
    assert company.owner.post(HOOKS, ["x"]).status_code == 400
    assert company.owner.post(HOOKS, data=b"url=x").status_code == 415


def test_employees_get_403(company):
    employee = company.user()
    assert employee.get(HOOKS).status_code == 403
    assert employee.post(HOOKS, GOOD).status_code == 403


def test_unknown_ids_are_404(company):
    for method, path in (("GET", "999999/"), ("PATCH", "999999/"), ("DELETE", "999999/"),
                         ("POST", "999999/rotate-secret/"), ("GET", "999999/deliveries/"),
                         ("POST", "999999/deliveries/1/redeliver/"), ("GET", "99999999999/")):
        answer = company.owner.request(method, HOOKS + path, json={} if method == "PATCH" else None)
        assert answer.status_code == 404, (method, path, answer.text)


def test_a_delivery_of_another_endpoint_is_404(company):
    first = company.owner.post(HOOKS, GOOD).json()
    second = company.owner.post(HOOKS, GOOD).json()
    company.task(company.user())
    rows = company.owner.get(HOOKS + "%d/deliveries/" % first["id"]).json()["deliveries"]
    assert rows and rows[0]["event_type"] == "task.created"
    answer = company.owner.post(HOOKS + "%d/deliveries/%d/redeliver/" % (second["id"], rows[0]["id"]))
    assert answer.status_code == 404


def test_edit_checks_like_create_and_keeps_the_secret_hidden(company):
    hook = company.owner.post(HOOKS, GOOD).json()
    path = HOOKS + "%d/" % hook["id"]
    assert company.owner.patch(path, {"url": "http://192.168.1.1/"}).status_code == 400
    assert company.owner.patch(path, {"enabled": "yes"}).status_code == 400
    edited = company.owner.patch(path, {"events": ["task.updated"], "format": "slack"}).json()
    assert edited["events"] == ["task.updated"] and edited["format"] == "slack" and "secret" not in edited
    assert company.owner.get(path).json()["url"] == GOOD["url"]
    disabled = company.owner.patch(path, {"enabled": False}).json()
    assert disabled["enabled"] is False and disabled["disabled_reason"]
    rows = company.owner.get(path + "deliveries/").json()["deliveries"]
    if rows:
        assert company.owner.post(path + "deliveries/%d/redeliver/" % rows[0]["id"]).status_code == 409


def test_bad_before_cursor_is_400(company):
    hook = company.owner.post(HOOKS, GOOD).json()
    answer = company.owner.get(HOOKS + "%d/deliveries/?before=abc" % hook["id"])
    assert answer.status_code == 400
