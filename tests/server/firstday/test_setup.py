"""Set-up as the README tells it: `make run ARGS=…` reaches the server, what it prints matches the
README's logins, and the runtime and test requirements are two sets."""
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
import requests

from server.demo import PEOPLE
from support.server import ROOT, free_port, server_env
from support.wait import wait_until


def readme_logins():
    """The usernames the README's demo paragraph names, with the password it gives each role."""
    text = (ROOT / "README.md").read_text()
    paragraph = text[text.index("`make run` prints the demo logins"):]
    paragraph = paragraph[:paragraph.index("each with `employee-demo-pass`") + 30]
    return set(re.findall(r"`([a-z]+)`", paragraph)), set(re.findall(r"`([a-z]+-demo-pass)`", paragraph))


def wait_healthy(url, proc, log, seconds=60):
    def healthy():
        assert proc.poll() is None, log.read_text()
        try:
            return requests.get(url + "/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False
    wait_until(healthy, seconds, message=lambda: "make run did not serve on %s: %s" % (url, log.read_text()))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make (apt-get install make)")
def test_make_run_passes_args_and_prints_the_readme_logins(tmp_path):
    port, log = free_port(), tmp_path / "make-run.log"
    args = "--port %d --db sqlite:///%s --quiet" % (port, tmp_path / "demo.db")
    # -o: the venv counts as made (the tests' interpreter stands in for .venv's python)
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "run",
               "PY=%s" % sys.executable, "ARGS=%s" % args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=server_env(), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy("http://127.0.0.1:%d" % port, proc, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # make and the server it started
        proc.wait(timeout=30)
    printed = log.read_text()
    shown = {username for _role, username, _n in PEOPLE
             if re.search(r"\b%s\s+password: " % username, printed)}
    names, passwords = readme_logins()
    assert shown == names == {username for _role, username, _n in PEOPLE}, printed
    assert passwords == set(re.findall(r"password: (\S+)", printed))


def test_runtime_requirements_hold_no_test_tools():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    tests = (ROOT / "requirements-test.txt").read_text().lower()
    for tool in ("pytest", "playwright", "schemathesis", "aiosmtpd"):
        assert not re.search(r"^%s\b" % tool, runtime, re.M), tool
        assert re.search(r"^%s==" % tool, tests, re.M), tool
    assert tests.splitlines()[1] == "-r requirements.txt"
    make = (ROOT / "Makefile").read_text()
    run_recipe = make[make.index("\nrun:"):].split("\n\n")[0]
    assert "requirements-test" not in run_recipe and ".installed" in run_recipe
    assert "npm i -E --prefix tests/node" in make
