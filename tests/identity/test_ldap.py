"""LDAP sign-in against Debian's slapd: the password checked by a bind as the user (never stored),
groups to ADMIN, a user gone from the directory refused, the directory down a clear 503 that
API tokens never notice, and the login throttle counting directory sign-ins too."""
import contextlib
import pathlib
import sqlite3

import pytest
import requests

from support.client import Api
from support.idp import Slapd, tracker
from support.server import OWNER_PASSWORD

SUFFIX = Slapd.SUFFIX
DIRECTORY = """\
dn: {s}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,{s}
objectClass: organizationalUnit
ou: people

dn: ou=groups,{s}
objectClass: organizationalUnit
ou: groups

dn: uid=lara,ou=people,{s}
objectClass: inetOrgPerson
uid: lara
cn: Lara Lane
sn: Lane
mail: lara@example.com
userPassword: lara-directory-pass

dn: uid=mo,ou=people,{s}
objectClass: inetOrgPerson
uid: mo
cn: Mo Moss
sn: Moss
userPassword: mo-directory-pass

dn: cn=tracker-admins,ou=groups,{s}
objectClass: groupOfNames
cn: tracker-admins
member: uid=lara,ou=people,{s}
""".format(s=SUFFIX)


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    slapd = Slapd(tmp_path_factory.mktemp("slapd"))
    slapd.add(DIRECTORY)
    yield slapd
    slapd.stop()


@pytest.fixture(scope="module")
def ldap_server(directory, tmp_path_factory):
    srv = tracker(tmp_path_factory.mktemp("ldap"), TRACKER_LDAP_URL=directory.url,
                  TRACKER_LDAP_BIND_DN="cn=admin," + SUFFIX,
                  TRACKER_LDAP_BIND_PASSWORD=Slapd.ROOT_PASSWORD,
                  TRACKER_LDAP_USER_BASE="ou=people," + SUFFIX,
                  TRACKER_LDAP_GROUP_BASE="ou=groups," + SUFFIX,
                  TRACKER_LDAP_ADMIN_GROUPS="tracker-admins", TRACKER_BREAK_GLASS_USERS="root",
                  TRACKER_LDAP_TIMEOUT="3")
    yield srv
    srv.stop()


def token_answer(srv, username, password):
    return requests.post(srv.url + "/api/auth/token/",
                         json={"username": username, "password": password}, timeout=30)


def test_bind_creates_the_user_from_the_directory_and_groups_make_an_admin(ldap_server):
    lara = Api(ldap_server.url).login("lara", "lara-directory-pass")
    assert lara.user["role"] == "ADMIN" and lara.user["full_name"] == "Lara Lane"
    mo = Api(ldap_server.url).login("mo", "mo-directory-pass")
    assert mo.user["role"] == "EMPLOYEE"


def test_the_password_is_never_stored(ldap_server):
    Api(ldap_server.url).login("lara", "lara-directory-pass")
    with contextlib.closing(sqlite3.connect(ldap_server.db_path)) as db:
        [stored] = db.execute("SELECT password_hash FROM user WHERE username = 'lara'").fetchone()
    assert stored == ""
    for path in pathlib.Path(ldap_server.db_path).parent.glob("tracker.db*"):  # and its WAL
        assert b"lara-directory-pass" not in path.read_bytes()


def test_a_wrong_password_is_refused(ldap_server):
    answer = token_answer(ldap_server, "mo", "not-mos-password")
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"
    assert token_answer(ldap_server, "mo", "").status_code == 400  # never an anonymous bind


def test_group_changes_apply_at_the_next_sign_in(directory, ldap_server):
    directory.modify("dn: cn=tracker-admins,ou=groups,%s\nchangetype: modify\nadd: member\n"
                     "member: uid=mo,ou=people,%s\n" % (SUFFIX, SUFFIX))
    assert Api(ldap_server.url).login("mo", "mo-directory-pass").user["role"] == "ADMIN"
    directory.modify("dn: cn=tracker-admins,ou=groups,%s\nchangetype: modify\ndelete: member\n"
                     "member: uid=mo,ou=people,%s\n" % (SUFFIX, SUFFIX))
    assert Api(ldap_server.url).login("mo", "mo-directory-pass").user["role"] == "EMPLOYEE"


def test_a_user_removed_from_the_directory_is_refused(directory, ldap_server):
    directory.add("dn: uid=nora,ou=people,%s\nobjectClass: inetOrgPerson\nuid: nora\ncn: Nora\n"
                  "sn: N\nuserPassword: nora-directory-pass\n" % SUFFIX)
    Api(ldap_server.url).login("nora", "nora-directory-pass")
    directory.delete("uid=nora,ou=people," + SUFFIX)
    assert token_answer(ldap_server, "nora", "nora-directory-pass").status_code == 401


def test_the_throttle_counts_directory_sign_ins(ldap_server):
    for _ in range(5):
        assert token_answer(ldap_server, "lara", "guess").status_code == 401
    throttled = token_answer(ldap_server, "lara", "lara-directory-pass")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"]


def test_directory_down_is_a_clear_503_and_tokens_never_reach_it(directory, ldap_server):
    mo = Api(ldap_server.url).login("mo", "mo-directory-pass")
    directory.stop()
    try:
        answer = token_answer(ldap_server, "mo", "mo-directory-pass")
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "directory_unavailable"
        assert mo.get("/api/employee-tasks/").status_code == 200  # a token is checked here, not there
        assert Api(ldap_server.url).login("root", OWNER_PASSWORD).user["role"] == "OWNER"
    finally:
        directory.start()
