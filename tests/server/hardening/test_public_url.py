"""Absolute links come from the public_url setting, never from the Host header (issue 24, item 12)."""
import http.client
import json
import re

import pytest

from server import settings
from support.client import Company
from support.server import start_server


def get(server, path, host, token=None, cookie=None):
    """A request with a forged Host header (requests would put the real one)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Host": host}
    if token:
        headers["Authorization"] = "Bearer %s" % token
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request("GET", path, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read().decode()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("public"), TRACKER_PUBLIC_URL="https://tracker.example.com/")
    yield Company(srv)
    srv.stop()


def test_the_calendar_url_and_feed_use_public_url_whatever_the_host(public):
    ann = public.user()
    public.task(public.owner, title="Dated", due_date="2031-05-01T12:00:00Z")
    for api in (ann, public.owner):
        status, body = get(public.server, "/api/me/calendar/", "evil.example", api.token)
        assert status == 200
        url = json.loads(body)["url"]
        assert re.fullmatch(r"https://tracker\.example\.com/calendar/[A-Za-z0-9_-]+\.ics", url), url
    path = url[len("https://tracker.example.com"):]
    status, feed = get(public.server, path, "evil.example")
    assert status == 200 and "evil.example" not in feed
    assert "https://tracker.example.com/dashboard/tasks/" in feed.replace("\r\n ", "")


def test_the_webhooks_page_shows_the_public_calendar_url(public):
    login = public.server.url + "/login"
    import requests
    session = requests.Session()
    session.get(login, timeout=30)
    answer = session.post(login, data={"username": "root", "password": "owner-test-password",
                                       "_xsrf": session.cookies["_xsrf"]}, timeout=30)
    assert answer.status_code == 200
    cookie = "; ".join("%s=%s" % (c.name, c.value) for c in session.cookies)
    status, page = get(public.server, "/dashboard/webhooks/", "evil.example", cookie=cookie)
    assert status == 200 and "evil.example" not in page
    assert "https://tracker.example.com/calendar/" in page


def test_without_the_setting_links_use_the_listening_address_not_the_host(company):
    status, body = get(company.server, "/api/me/calendar/", "evil.example", company.owner.token)
    assert status == 200
    assert json.loads(body)["url"].startswith(company.server.url + "/calendar/")


@pytest.mark.parametrize("bad", ["tracker.example.com", "ftp://x", "https://", "https://x/?a=1"])
def test_a_malformed_public_url_stops_the_start(bad):
    with pytest.raises(ValueError, match="public_url"):
        settings.public_url(settings.from_env({}, public_url=bad))


def test_the_older_mail_base_url_name_is_still_read():
    values = settings.from_env({"TRACKER_MAIL_BASE_URL": "https://old.example.com"})
    assert settings.public_url(values) == "https://old.example.com"
