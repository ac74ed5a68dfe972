"""`pip install` of the package, WITH its dependencies, into a fresh virtualenv: `tracker-server`
starts and serves its pages, the web app's manifest and service worker, and its static files,
all found inside site-packages. Wheels are kept in a cache folder between runs
(`TRACKER_WHEEL_CACHE`, default ~/.cache/employee-progress-tracker/wheels), so only a first run
needs the package index."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from support.browser import form_session
from support.server import OWNER_PASSWORD, ROOT, ServerProcess, server_env

SOURCES = ("pyproject.toml", "README.md", "server", "desktop_client", "templates", "static")
CACHE = Path(os.environ.get("TRACKER_WHEEL_CACHE")
             or Path.home() / ".cache" / "employee-progress-tracker" / "wheels")


def run(*command, timeout=600, cwd=None):
    """Run a command away from the checkout (whose folder would shadow the installed package)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or Path.home(), env=env)
    assert proc.returncode == 0, "%s\n%s%s" % (command, proc.stdout, proc.stderr[-4000:])
    return proc


def constraints(folder):
    """requirements.txt as a constraints file (pip refuses extras there): the pinned set."""
    lines = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(re.sub(r"\[.*?\]", "", line))
    path = folder / "constraints.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def build_wheel(folder):
    """A wheel of a copy of the sources (a build leaves files behind), built offline."""
    src = folder / "src"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy(source, src / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--disable-pip-version-check", "-w", folder / "dist", src)
    return next((folder / "dist").glob("*.whl"))


def install(python, wheel, pins):
    """Install the wheel and its dependencies at the pinned versions: from the wheel cache alone
    when it holds them, else fill the cache from the package index first."""
    CACHE.mkdir(parents=True, exist_ok=True)
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "--find-links", CACHE, "-c", pins, wheel]
    if subprocess.run([str(c) for c in command[:4] + ["--no-index"] + command[4:]],
                      capture_output=True, timeout=600).returncode == 0:
        return
    run(python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "-d", CACHE,
        "-c", pins, wheel)
    (CACHE / wheel.name).unlink(missing_ok=True)  # the project itself is built fresh each run
    run(*command[:4], "--no-index", *command[4:])


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("installed")
    wheel = build_wheel(folder)
    run(sys.executable, "-m", "venv", folder / "venv")  # no system site-packages: only what pip put there
    python = folder / "venv" / "bin" / "python"
    install(python, wheel, constraints(folder))
    return folder / "venv"


def site_packages(venv):
    proc = run(venv / "bin" / "python", "-c", "import server, os; print(os.path.dirname(server.__file__))")
    return Path(proc.stdout.strip())


def test_every_file_of_templates_and_static_is_installed(venv):
    package = site_packages(venv)
    assert str(package).startswith(str(venv)), package
    for tree in ("templates", "static"):
        expected = {p.relative_to(ROOT / tree) for p in (ROOT / tree).rglob("*") if p.is_file()}
        found = {p.relative_to(package / tree) for p in (package / tree).rglob("*") if p.is_file()}
        assert expected - found == set(), tree


def test_help_names_the_installed_command(venv):
    proc = run(venv / "bin" / "tracker-server", "--help")
    assert proc.stdout.startswith("usage: tracker-server"), proc.stdout[:200]
    assert "python -m server" not in proc.stdout


def test_installed_server_starts_and_serves_pages_app_and_static_files(venv, tmp_path):
    db_url = "sqlite:///%s" % (tmp_path / "installed.db")
    env = server_env(PATH="%s:/usr/bin:/bin" % (venv / "bin"))
    env.pop("PYTHONPATH", None)
    command = [str(venv / "bin" / "tracker-server")]
    added = subprocess.run(command + ["adduser", "root", "--role", "OWNER", "--password",
                                      OWNER_PASSWORD, "--db", db_url],
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stdout + added.stderr
    srv = ServerProcess(db_url, tmp_path / "server.log", env=env, cwd=tmp_path,
                        command=command + ["serve"]).start()
    try:
        login = requests.get(srv.url + "/login", timeout=10)
        assert login.status_code == 200 and "<form" in login.text
        http = form_session(srv.url)
        app = http.get(srv.url + "/app/", timeout=10, allow_redirects=False)
        assert app.status_code == 200 and 'rel="manifest"' in app.text, app.text[:300]
        manifest = http.get(srv.url + "/app/manifest.webmanifest", timeout=10)
        assert manifest.status_code == 200 and manifest.json()["start_url"]
        worker = http.get(srv.url + "/app/sw.js", timeout=10)
        assert worker.status_code == 200 and worker.headers["Content-Type"].startswith("text/javascript")
        css = requests.get(srv.url + "/static/css/app.css", timeout=10)
        assert css.status_code == 200 and css.content == (ROOT / "static/css/app.css").read_bytes()
        for script in re.findall(r'src="(/static/[^"]+)"', app.text):
            assert http.get(srv.url + script, timeout=10).status_code == 200, script
        assert "icalendar" in run(venv / "bin" / "python", "-m", "pip", "list").stdout
    finally:
        srv.stop()
    assert "Traceback" not in srv.log(), srv.log()[-3000:]
