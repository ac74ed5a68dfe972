"""LDAP over TLS against slapd with a test CA: ldaps:// and StartTLS sign in when the CA is the
one configured, and a certificate the server cannot verify is a 503, never a sign-in."""
import pytest
import requests

from support.client import Api
from support.idp import Slapd, tracker

SUFFIX = Slapd.SUFFIX
PEOPLE = """\
dn: {s}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: uid=tess,{s}
objectClass: inetOrgPerson
uid: tess
cn: Tess Tls
sn: Tls
userPassword: tess-directory-pass
""".format(s=SUFFIX)


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    slapd = Slapd(tmp_path_factory.mktemp("slapd-tls"), tls=True)
    slapd.add(PEOPLE)
    yield slapd
    slapd.stop()


def tls_tracker(folder, url, **extra):
    return tracker(folder, TRACKER_LDAP_URL=url, TRACKER_LDAP_BIND_DN="cn=admin," + SUFFIX,
                   TRACKER_LDAP_BIND_PASSWORD=Slapd.ROOT_PASSWORD, TRACKER_LDAP_USER_BASE=SUFFIX,
                   TRACKER_LDAP_TIMEOUT="3", **extra)


@pytest.mark.parametrize("how", ["ldaps", "starttls"])
def test_tls_with_the_configured_ca_signs_in(directory, tmp_path, how):
    url = ("ldaps://127.0.0.1:%d" % directory.tls_port) if how == "ldaps" else directory.url
    srv = tls_tracker(tmp_path, url, TRACKER_LDAP_CA_FILE=str(directory.ca_file),
                      TRACKER_LDAP_STARTTLS="true" if how == "starttls" else "false")
    try:
        assert Api(srv.url).login("tess", "tess-directory-pass").user["full_name"] == "Tess Tls"
    finally:
        srv.stop()


def test_a_certificate_it_cannot_verify_is_a_503(directory, tmp_path):
    srv = tls_tracker(tmp_path, "ldaps://127.0.0.1:%d" % directory.tls_port)  # system CAs only
    try:
        answer = requests.post(srv.url + "/api/auth/token/", timeout=30,
                               json={"username": "tess", "password": "tess-directory-pass"})
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "directory_unavailable"
    finally:
        srv.stop()
