"""Real-server fixtures: a `python -m server` process on a free port, a fresh database per module,
an HTTP client per user, and fresh PostgreSQL databases for the tests that need one."""
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"
PG_URL = os.environ.get("TRACKER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
OWNER_PASSWORD = "owner-test-password"
USER_PASSWORD = "user-test-password"
# Tests hash many passwords: a cheaper argon2id cost keeps them fast (production keeps the default).
FAST_KDF = {"TRACKER_ARGON2_MEMORY_KIB": "8192", "TRACKER_ARGON2_TIME_COST": "1",
            "TRACKER_DEMO_LIVE": "false"}  # a demo company that holds still while tests look at it


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(FAST_KDF)
    env.update({k: str(v) for k, v in extra.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(*args, db_url, env=None, check=True):
    """Run `python -m server ARGS --db URL`; returns the CompletedProcess."""
    proc = subprocess.run([sys.executable, "-m", "server", *args, "--db", db_url], cwd=ROOT,
                          env=env or server_env(), capture_output=True, text=True, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError("server %s failed (%d): %s%s" % (args, proc.returncode, proc.stdout,
                                                              proc.stderr))
    return proc


class ServerProcess:
    """`python -m server serve` in a child process; start, stop, kill -9 and restart it."""

    def __init__(self, db_url, log_path, env=None, port=None):
        self.db_url, self.log_path = db_url, Path(log_path)
        self.env = env or server_env()
        self.port = port or free_port()
        self.proc = None

    @property
    def db_path(self):
        """The SQLite file of a server started on sqlite:///PATH."""
        return self.db_url[len("sqlite:///"):]

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=30):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--db", self.db_url, "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited: %s" % self.log_path.read_text()[-3000:])
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("server did not start: %s" % self.log_path.read_text()[-3000:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        """kill -9: no shutdown code runs."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def log(self):
        return self.log_path.read_text(errors="replace")


class Api:
    """HTTP calls to the server, with or without a bearer token. Each call has its own connection,
    closed when the call returns: no pooled socket outlives its server to leak into a later test."""

    def __init__(self, base_url, token=None, user=None):
        self.base_url, self.token, self.user = base_url, token, user

    def headers(self, extra=None):
        headers = {"Authorization": "Bearer %s" % self.token} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(self, method, path, json=None, headers=None, **kwargs):
        kwargs.setdefault("timeout", 30)
        return requests.request(method, self.base_url + path, json=json,
                                headers=self.headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def login(self, username, password):
        answer = requests.post(self.base_url + "/api/auth/token/",
                               json={"username": username, "password": password}, timeout=30)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return Api(self.base_url, body["token"], body["user"])


class Company:
    """Creates users, projects and tasks through the real API as the owner."""

    def __init__(self, server):
        self.server = server
        self.owner = Api(server.url).login("root", OWNER_PASSWORD)

    def user(self, role="EMPLOYEE", name=None):
        name = name or "%s_%s" % (role.lower(), uuid.uuid4().hex[:8])
        answer = self.owner.post("/api/admin/users/", {"username": name, "full_name": name.title(),
                                                       "role": role, "password": USER_PASSWORD})
        assert answer.status_code == 201, answer.text
        return Api(self.server.url).login(name, USER_PASSWORD)

    def task(self, assignee, **fields):
        body = {"title": "Task %s" % secrets.token_hex(3), "assignee_id": assignee.user["id"]}
        body.update(fields)
        answer = self.owner.post("/api/admin/tasks/", body)
        assert answer.status_code == 201, answer.text
        return answer.json()


def start_server(tmp_path, db_url=None, **env):
    db_url = db_url or "sqlite:///%s" % (tmp_path / "tracker.db")
    run_cli("adduser", "root", "--role", "OWNER", "--full-name", "Root Owner",
            "--password", OWNER_PASSWORD, db_url=db_url, env=server_env(**env), check=False)
    return ServerProcess(db_url, tmp_path / "server.log", env=server_env(**env)).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server on SQLite, shared by the tests of one module (each makes its own users)."""
    srv = start_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def company(server):
    return Company(server)


# ---------------------------------------------------------------- PostgreSQL

def pg_available():
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def require_pg():
    if not pg_available():
        if IN_CI:
            pytest.fail("PostgreSQL at %s is required under CI=true" % PG_URL)
        pytest.skip("PostgreSQL not reachable at %s (set TRACKER_TEST_PG)" % PG_URL)


def create_pg_database():
    """A fresh, empty database on the test server; returns its URL."""
    name = "tracker_t_%s" % uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute('CREATE DATABASE "%s"' % name)
    base = PG_URL.rsplit("/", 1)[0]
    return name, "%s/%s" % (base, name)


def drop_pg_database(name):
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


@pytest.fixture
def pg_url():
    require_pg()
    name, url = create_pg_database()
    yield url
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """The models bound to a fresh, migrated database: SQLite file, then real PostgreSQL."""
    from server import models
    if request.param == "sqlite":
        url, name = "sqlite:///%s" % (tmp_path / "svc.db"), None
    else:
        require_pg()
        name, url = create_pg_database()
    database = models.open_database(url)
    database.connect()
    models.check_sqlite_durability()
    models.migrate()
    yield request.param
    database.close()
    if name:
        drop_pg_database(name)
