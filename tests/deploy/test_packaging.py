"""pyproject.toml: `pip install .` gives the two commands, and an installed server starts its CLI."""
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys

import pytest
import requests

from support.server import ROOT, ServerProcess, server_env

SOURCES = ("pyproject.toml", "README.md", "server", "desktop_client", "templates", "static")


def offline_build_possible():
    """setuptools builds wheels by itself from 70.1 on; before that it needs the `wheel` package."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    if tuple(int(p) for p in version.split(".")[:2]) >= (70, 1):
        return True
    return importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """`pip install --no-deps --target` of a copy of the sources (the build leaves files behind)."""
    tmp = tmp_path_factory.mktemp("pkg")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp / "src" / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (tmp / "src").mkdir(exist_ok=True)
            shutil.copy(source, tmp / "src" / name)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
               "--disable-pip-version-check", "--target", str(tmp / "site"), str(tmp / "src")]
    if offline_build_possible():
        command.insert(4, "--no-build-isolation")  # the venv's setuptools: no registry needed
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp / "site"


def run_installed(site, *command):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)}  # the installed copy, not the checkout
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=site.parent, env=env)


def test_install_gives_both_commands(installed):
    assert (installed / "bin" / "tracker-server").is_file()
    assert (installed / "bin" / "tracker-desktop").is_file()


def test_tracker_server_help_runs_from_the_installed_copy(installed):
    proc = run_installed(installed, str(installed / "bin" / "tracker-server"), "--help")
    assert proc.returncode == 0, proc.stderr
    assert "verify-audit" in proc.stdout and "--db" in proc.stdout
    where = run_installed(installed, sys.executable, "-c", "import server; print(server.__file__)")
    assert where.stdout.strip().startswith(str(installed)), where.stdout + where.stderr


def test_pages_files_travel_inside_the_server_package(installed):
    assert (installed / "server" / "templates" / "base.html").is_file()
    assert (installed / "server" / "static" / "js" / "push.js").is_file()
    assert (installed / "server" / "static" / "css" / "app.css").is_file()


def test_every_subpackage_is_installed(installed):
    for folder in (ROOT / "server").rglob("__init__.py"):
        relative = folder.relative_to(ROOT)
        assert (installed / relative).is_file(), relative
    for folder in (ROOT / "desktop_client").rglob("__init__.py"):
        assert (installed / folder.relative_to(ROOT)).is_file()


def test_the_installed_server_serves_its_pages_and_static_files(installed, tmp_path):
    """Templates and static files are found inside the installed package, not beside it."""
    db_url = "sqlite:///%s" % (tmp_path / "installed.db")
    env = server_env(PYTHONPATH=str(installed), PATH="/usr/bin:/bin")
    srv = ServerProcess(db_url, tmp_path / "server.log", env=env, cwd=tmp_path,
                        command=[str(installed / "bin" / "tracker-server"), "serve"]).start()
    try:
        login = requests.get(srv.url + "/login", timeout=10)
        assert login.status_code == 200 and "<form" in login.text, login.text[:300]
        script = requests.get(srv.url + "/static/js/push.js", timeout=10)
        assert script.status_code == 200 and script.headers["Content-Type"].startswith(
            ("application/javascript", "text/javascript"))
        assert script.content == (ROOT / "static" / "js" / "push.js").read_bytes()
        assert "tracker_http_requests_total" in requests.get(srv.url + "/metrics", timeout=10).text
    finally:
        srv.stop()
    assert not (tmp_path / "templates").exists()  # nothing was looked up beside the data
