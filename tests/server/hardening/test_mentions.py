"""Mentions: the answer tells nobody's role, and mention mails are limited per author and
recipient (issue 24, item 10)."""
import uuid

import pytest

from support.client import Api, Company
from support.server import USER_PASSWORD
from support.smtp import mailing_server



@pytest.fixture(scope="module")
def firm(tmp_path_factory, mailbox):
    srv = mailing_server(tmp_path_factory.mktemp("mentions"), mailbox)
    yield Company(srv)
    srv.stop()


def person(firm, role="EMPLOYEE"):
    name = "%s_%s" % (role.lower(), uuid.uuid4().hex[:8])
    answer = firm.owner.post("/api/admin/users/", {"username": name, "full_name": name.title(),
                                                   "role": role, "password": USER_PASSWORD,
                                                   "email": "%s@example.com" % name})
    assert answer.status_code == 201, answer.text
    return Api(firm.server.url).login(name, USER_PASSWORD), "%s@example.com" % name


def test_the_answer_links_every_person_named_whatever_their_role(firm):
    employee, _ = person(firm)
    colleague, _ = person(firm)
    admin, _ = person(firm, "ADMIN")
    task = firm.task(employee)
    body = "@%s and @%s and @nobody_%s" % (admin.user["username"], colleague.user["username"],
                                          uuid.uuid4().hex[:4])
    answer = employee.post("/api/task/%d/comments/" % task["id"], {"body": body})
    assert answer.status_code == 201, answer.text
    linked = {m["username"] for m in answer.json()["mentions"]}
    assert linked == {admin.user["username"], colleague.user["username"]}  # an admin looks like anyone
    listed = employee.get("/api/task/%d/comments/" % task["id"]).json()["comments"][0]["mentions"]
    assert {m["username"] for m in listed} == linked


def test_mention_mails_are_limited_per_author_and_recipient_and_reach_only_who_sees(firm, mailbox):
    employee, employee_address = person(firm)
    colleague, colleague_address = person(firm)
    adam, adam_address = person(firm, "ADMIN")
    olivia, olivia_address = person(firm, "ADMIN")
    task = firm.task(employee, title="Mentions")
    mailbox.wait_for(1, where=lambda m: m["To"] == employee_address)  # "new task for you"
    for _ in range(3):
        body = "@%s @%s @%s @%s" % (adam.user["username"], olivia.user["username"],
                                    adam.user["username"].upper(), colleague.user["username"])
        assert employee.post("/api/task/%d/comments/" % task["id"], {"body": body}).status_code == 201
    # another author's mention is not held back by the first author's
    firm.owner.post("/api/task/%d/comments/" % task["id"], {"body": "@%s" % adam.user["username"]})
    mailbox.wait_for(1, where=lambda m: m["To"] == olivia_address)
    marker, marker_address = person(firm)
    firm.task(marker, title="marker")
    mailbox.wait_for(1, where=lambda m: m["To"] == marker_address)  # everything before has been sent
    def mentions(address):  # admins may also get the daily digest when the test runs at its hour
        return [m for m in mailbox.to(address) if "mentioned you" in m["Subject"]]
    assert len(mentions(olivia_address)) == 1
    assert len(mentions(adam_address)) == 2  # one from the employee, one from the owner
    assert mailbox.to(colleague_address) == []  # cannot see the task: no mail
