"""Unsubscribe links: one spelling per token, an expiry, and no address on the page (issue 24,
item 13)."""
import datetime
import uuid

import pytest
import requests

from server.services.outbound import mail
from server.services.core.errors import NotFound
from server.store.database import db
from server.store.models import User
from support.client import Company
from support.server import USER_PASSWORD
from support.smtp import mailing_server



@pytest.fixture(scope="module")
def firm(tmp_path_factory, mailbox):
    srv = mailing_server(tmp_path_factory.mktemp("unsub"), mailbox)
    yield Company(srv)
    srv.stop()


def test_the_page_names_no_address_and_only_the_canonical_token_works(firm, mailbox):
    name = "emma_%s" % uuid.uuid4().hex[:6]
    address = "%s@example.com" % name
    made = firm.owner.post("/api/admin/users/", {"username": name, "password": USER_PASSWORD,
                                                 "email": address})
    assert made.status_code == 201
    assert firm.owner.post("/api/admin/tasks/", {"title": "Unsubscribe me",
                                                 "assignee_id": made.json()["id"]}).status_code == 201
    message = mailbox.wait_for(1, where=lambda m: m["To"] == address)[0]
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    token = link.rsplit("/", 1)[1]
    user_id, rest = token.split(".", 1)
    path = firm.server.url + "/unsubscribe/"
    for variant in ("0" + token, "00%s.%s" % (user_id, rest), "+" + token):
        for method in ("GET", "POST"):
            assert requests.request(method, path + variant, timeout=10).status_code == 404, variant
    page = requests.get(path + token, timeout=10)
    assert page.status_code == 200 and address not in page.text and name not in page.text
    done = requests.post(path + token, timeout=10)
    assert done.status_code == 200 and address not in done.text
    users = firm.owner.get("/api/admin/users/?limit=500").json()["users"]
    assert [u["mail_unsubscribed"] for u in users if u["username"] == name] == [["assigned"]]


def test_a_token_expires_after_a_year(database):
    with db.atomic():
        user = User.create(username="ann", full_name="Ann", password_hash="x", email="a@example.com")
    now = datetime.datetime(2031, 3, 1, 12, 0)
    fresh = mail.unsubscribe_token(user.id, "mention", now - datetime.timedelta(days=365))
    old = mail.unsubscribe_token(user.id, "mention", now - datetime.timedelta(days=367))
    future = mail.unsubscribe_token(user.id, "mention", now + datetime.timedelta(days=2))
    with db.atomic():
        assert mail.token_target(fresh, now)[1] == "mention"
        for token in (old, future):
            with pytest.raises(NotFound):
                mail.token_target(token, now)
