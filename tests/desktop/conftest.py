"""Desktop fixtures: Qt offscreen, an app folder per test, TaskManagers against the real server
(the `server` and `company` fixtures of tests/conftest.py), and a server a test may stop and start."""
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists
if not os.environ.get("XDG_RUNTIME_DIR"):  # Qt wants one; CI containers often have none
    os.environ["XDG_RUNTIME_DIR"] = "/tmp/runtime-%d" % os.getuid()
    os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)

import pytest  # noqa: E402

from support.client import Api, Company  # noqa: E402
from support.server import IN_CI, start_server  # noqa: E402

try:
    from PyQt5.QtWidgets import QApplication  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    if IN_CI:
        raise
    pytest.skip("PyQt5 cannot load (%s): pip install -r requirements.txt; on Debian also "
                "apt-get install libgl1 libegl1 libfontconfig1 libxkbcommon0" % exc,
                allow_module_level=True)

from desktop_client.sync import TaskManager  # noqa: E402
from support.desktop import RecordingClient  # noqa: E402

HERE = os.path.dirname(__file__)


def pytest_collection_modifyitems(items):
    for item in items:
        if str(item.fspath).startswith(HERE):
            item.add_marker(pytest.mark.desktop)


@pytest.fixture
def app_dir(tmp_path, monkeypatch):
    folder = tmp_path / "tracker_app"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("TRACKER_APP_DIR", str(folder))
    return folder


@pytest.fixture
def own_server(tmp_path):
    """A server only this test uses, so it may stop() and start() it (same port, same database)."""
    srv = start_server(tmp_path)
    yield srv
    srv.stop()


@pytest.fixture
def own_company(own_server):
    return Company(own_server)


@pytest.fixture
def make_manager(app_dir, qapp):
    """TaskManager(employee Api, **options) with fast test timings and a RecordingClient;
    stopped at teardown."""
    managers = []

    def make(employee: Api, folder=None, **options):
        options.setdefault("poll_seconds", 0.3)
        options.setdefault("push_retry", (0.2, 1.0))
        client = RecordingClient(employee.base_url, employee.token)
        manager = TaskManager(client, folder or app_dir, employee.user["id"], **options)
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.stop()
