"""What leaves for other systems: Slack text, webhook targets, calendar feeds (issue 24, items 2,
5 and 6)."""
import json

import icalendar
import pytest
import requests

from support.client import Company
from support.receiver import Receiver
from support.server import start_server

HOOKS = "/api/admin/webhooks/"


@pytest.fixture(scope="module")
def hooked(tmp_path_factory):
    """A server that may reach loopback receivers (the Slack test's receiver is one)."""
    srv = start_server(tmp_path_factory.mktemp("hooks"), TRACKER_WEBHOOK_ALLOW_PRIVATE="true")
    yield Company(srv)
    srv.stop()


def test_slack_text_escapes_every_inserted_field(hooked):
    receiver = Receiver()
    try:
        answer = hooked.owner.post(HOOKS, {"url": receiver.url, "events": ["comment.created"],
                                           "format": "slack"})
        assert answer.status_code == 201, answer.text
        ann = hooked.user()
        hooked.owner.patch("/api/admin/users/%d/" % ann.user["id"], {"full_name": "<!here> Ann & co"})
        task = hooked.task(ann, title="<@U123> report")
        evil = "<!channel> log in: <https://evil.example/login|https://tracker.example.com/login>"
        assert ann.post("/api/task/%d/comments/" % task["id"], {"body": evil}).status_code == 201
        text = json.loads(receiver.wait_for(1)[0][1])["text"]
    finally:
        receiver.close()
    assert "<" not in text and ">" not in text, text
    assert "&lt;!channel&gt; log in: &lt;https://evil.example/login|https://tracker.example.com/" \
           "login&gt;" in text
    assert "&lt;!here&gt; Ann &amp; co" in text and "&lt;@U123&gt; report" in text


EMBEDDED_V4 = [
    "http://[64:ff9b::a9fe:a9fe]/",        # NAT64 of 169.254.169.254
    "http://[64:ff9b::7f00:1]/",           # NAT64 of 127.0.0.1
    "http://[64:ff9b:1::a9fe:a9fe]/",      # local-use NAT64 (RFC 8215)
    "http://[2002:7f00:1::1]/",            # 6to4 of 127.0.0.1
    "http://[2002:a9fe:a9fe::]/",          # 6to4 of 169.254.169.254
    "http://[::127.0.0.1]/",               # IPv4-compatible (deprecated)
    "http://[::a9fe:a9fe]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo: client 127.0.0.1
]


@pytest.mark.parametrize("url", EMBEDDED_V4)
def test_ipv6_forms_that_embed_a_private_ipv4_are_refused(company, url):
    before = company.owner.get(HOOKS).json()["webhooks"]
    answer = company.owner.post(HOOKS, {"url": url, "events": ["*"]})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == "url"
    assert company.owner.get(HOOKS).json()["webhooks"] == before


def test_a_nat64_form_of_a_public_address_is_still_accepted(company):
    answer = company.owner.post(HOOKS, {"url": "https://[64:ff9b::808:808]/hook", "events": ["*"]})
    assert answer.status_code == 201, answer.text


def test_line_breaks_in_names_and_titles_leave_the_feed_one_line_each(company):
    ann = company.user()
    for name in ("Ann\nLee", "Ann\rLee", "Ann\r\nLee\u2028x"):
        assert company.owner.patch("/api/admin/users/%d/" % ann.user["id"],
                                   {"full_name": name}).status_code == 200
        company.task(ann, title="Line\rbreak\nsummary", due_date="2031-05-01T12:00:00Z",
                     description="one\rtwo\u2028three")
        url = ann.get("/api/me/calendar/").json()["url"]
        answer = requests.get(url, timeout=30)
        assert answer.status_code == 200, answer.text
        cal = icalendar.Calendar.from_ical(answer.content)
        assert str(cal["x-wr-calname"]).startswith("Tasks of Ann Lee")
        for line in answer.content.split(b"\r\n"):
            assert b"\r" not in line and b"\n" not in line
        summaries = {str(todo["summary"]) for todo in cal.walk("VTODO")}
        assert summaries == {"Line break summary"}
