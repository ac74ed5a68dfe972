"""A real `python -m server` process on a free port, and the command line beside it."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
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

    def __init__(self, db_url, log_path, env=None, port=None, command=None, cwd=None):
        self.db_url, self.log_path = db_url, Path(log_path)
        self.env = env or server_env()
        self.port = port or free_port()
        self.proc = None
        # another way to start the same server: an installed `tracker-server serve`, say
        self.command, self.cwd = command or [sys.executable, "-m", "server", "serve"], cwd or ROOT

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
            self.command + ["--db", self.db_url, "--port", str(self.port)],
            cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
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


def make_server(tmp_path, db_url=None, **settings):
    """The tests' server factory: a real `python -m server` on a fresh database (SQLite in
    tmp_path unless db_url), with settings by their names in server/settings.py, e.g.
    make_server(tmp_path, login_max_failures=5); each becomes its TRACKER_* variable."""
    from server.settings import SETTINGS  # here: benchmarks import this module without the root
    names = {name: variable for name, _default, variable, _help in SETTINGS}
    unknown = sorted(set(settings) - set(names))
    assert not unknown, "no such setting: %s" % ", ".join(unknown)
    env = {names[name]: str(value).lower() if isinstance(value, bool) else str(value)
           for name, value in settings.items()}
    return start_server(tmp_path, db_url, **env)


def start_server(tmp_path, db_url=None, **env):
    """make_server with the environment's names (TRACKER_*) instead of the settings'."""
    db_url = db_url or "sqlite:///%s" % (tmp_path / "tracker.db")
    run_cli("adduser", "root", "--role", "OWNER", "--full-name", "Root Owner",
            "--password", OWNER_PASSWORD, db_url=db_url, env=server_env(**env), check=False)
    return ServerProcess(db_url, tmp_path / "server.log", env=server_env(**env)).start()
