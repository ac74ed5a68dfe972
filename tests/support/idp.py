"""Real identity servers for the sign-in tests: the npm `oidc-provider` (OpenID Certified) and
Debian's slapd, each on a free loopback port in a temporary folder, stopped with the test."""
import json
import os
import shutil
import signal
import subprocess
import time

import pytest
import requests

from .server import (IN_CI, OWNER_PASSWORD, ROOT, ServerProcess, free_port, run_cli,
                     server_env)

NODE_PREFIX = ROOT / "tests" / "node"
OIDC_SCRIPT = ROOT / "tests" / "identity" / "oidc_provider.mjs"
CLIENT_ID, CLIENT_SECRET = "tracker", "tracker-test-client-secret-0123456789"


def require(path, how):
    if not os.path.exists(path):
        if IN_CI:
            pytest.fail("%s is required under CI=true: %s" % (path, how))
        pytest.skip("needs %s (%s)" % (path, how))


def wait_until(check, what, timeout=20.0, proc=None, log=None):
    """Poll `check` until it is true, within a deadline; fail with the log if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError("%s exited: %s" % (what, log.read_text()[-3000:] if log else ""))
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("%s did not start: %s" % (what, log.read_text()[-3000:] if log else ""))


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class OidcProvider:
    """node oidc_provider.mjs: one confidential client, the users of users.json (editable)."""

    def __init__(self, folder, redirect_uris, users):
        require(NODE_PREFIX / "node_modules" / "oidc-provider", "npm i -E --prefix tests/node "
                "oidc-provider (see .ci/run)")
        self.folder, self.port = folder, free_port()
        self.users_file = folder / "users.json"
        self.set_users(users)
        config = {"port": self.port, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "redirect_uris": redirect_uris, "users_file": str(self.users_file)}
        (folder / "provider.json").write_text(json.dumps(config))
        self.log = folder / "provider.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(["node", str(OIDC_SCRIPT), str(folder / "provider.json")],
                                         env=dict(os.environ, OIDC_NODE_PREFIX=str(NODE_PREFIX)),
                                         stdout=out, stderr=subprocess.STDOUT)
        wait_until(self.answers, "oidc-provider", proc=self.proc, log=self.log)

    @property
    def issuer(self):
        return "http://127.0.0.1:%d" % self.port

    def answers(self):
        try:
            return requests.get(self.issuer + "/.well-known/openid-configuration",
                                timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def set_users(self, users):
        self.users_file.write_text(json.dumps(users))

    def stop(self):
        stop(self.proc)


def slapd_path():
    return shutil.which("slapd") or "/usr/sbin/slapd"


def tracker(folder, port=None, **env):
    """A tracker server with `env` settings and the owner `root` (the break-glass user)."""
    port = port or free_port()
    db_url = "sqlite:///%s" % (folder / "tracker.db")
    run_cli("adduser", "root", "--role", "OWNER", "--full-name", "Root Owner",
            "--password", OWNER_PASSWORD, db_url=db_url, env=server_env(**env))
    return ServerProcess(db_url, folder / "server.log", env=server_env(**env), port=port).start()


def oidc_env(issuer, **extra):
    env = {"TRACKER_OIDC_ISSUER": issuer, "TRACKER_OIDC_CLIENT_ID": CLIENT_ID,
           "TRACKER_OIDC_CLIENT_SECRET": CLIENT_SECRET, "TRACKER_OIDC_DISPLAY_NAME": "Example ID",
           "TRACKER_OIDC_SCOPES": "openid email profile groups",
           "TRACKER_OIDC_ADMIN_GROUPS": "tracker-admins", "TRACKER_OIDC_CREATE_USERS": "true"}
    env.update(extra)
    return env


SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
rootpw {root_password}
directory {folder}/data
{tls}access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""


class Slapd:
    """Debian's OpenLDAP server with a generated slapd.conf on a free port; `add(ldif)` loads
    entries with ldapadd, `delete(dn)` removes one with ldapdelete."""
    SUFFIX, ROOT_PASSWORD = "dc=example,dc=com", "directory-root-secret"

    def __init__(self, folder, tls=False):
        require(slapd_path(), "apt-get install slapd ldap-utils (see .ci/run)")
        require(shutil.which("ldapadd") or "/usr/bin/ldapadd", "apt-get install ldap-utils")
        self.folder, self.port, self.tls_port = folder, free_port(), free_port() if tls else None
        (folder / "data").mkdir()
        tls_conf = ""
        if tls:
            self.ca_file = make_certificates(folder)
            tls_conf = ("TLSCACertificateFile %s\nTLSCertificateFile %s\nTLSCertificateKeyFile %s\n"
                        % (self.ca_file, folder / "server.pem", folder / "server.key"))
        (folder / "slapd.conf").write_text(SLAPD_CONF.format(
            folder=folder, suffix=self.SUFFIX, root_password=self.ROOT_PASSWORD, tls=tls_conf))
        self.log = folder / "slapd.log"
        self.start()

    @property
    def url(self):
        return "ldap://127.0.0.1:%d" % self.port

    def start(self):
        with open(self.log, "ab") as out:
            urls = self.url + "/" + (" ldaps://127.0.0.1:%d/" % self.tls_port if self.tls_port else "")
            self.proc = subprocess.Popen([slapd_path(), "-f", str(self.folder / "slapd.conf"),
                                          "-h", urls, "-d", "0"],
                                         stdout=out, stderr=subprocess.STDOUT)
        wait_until(self.answers, "slapd", proc=self.proc, log=self.log)

    def answers(self):
        return self.tool("ldapwhoami", check=False).returncode == 0

    def tool(self, name, *args, stdin=None, check=True):
        run = subprocess.run([name, "-x", "-H", self.url, "-D", "cn=admin," + self.SUFFIX,
                              "-w", self.ROOT_PASSWORD, *args], input=stdin, capture_output=True,
                             text=True, timeout=30)
        if check and run.returncode != 0:
            raise AssertionError("%s failed: %s" % (name, run.stderr))
        return run

    def add(self, ldif):
        self.tool("ldapadd", stdin=ldif)

    def delete(self, dn):
        self.tool("ldapdelete", dn)

    def modify(self, ldif):
        self.tool("ldapmodify", stdin=ldif)

    def stop(self):
        stop(self.proc)


def make_certificates(folder):
    """A test CA and a certificate for 127.0.0.1 it signed (PEM files in `folder`); the CA's path."""
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Test CA")).issuer_name(name("Test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(cert.public_bytes(pem))
    (folder / "server.key").write_bytes(key.private_bytes(
        pem, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    return folder / "ca.pem"
