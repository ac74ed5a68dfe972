"""The desktop app shows the presence level that applies, pauses and resumes, and its "My data"
dialog lists what admins see and saves the ZIP export (real Qt widgets, offscreen)."""
import zipfile

import pytest

from support.browser import SCREENSHOTS
from support.desktop import WAIT, RecordingClient
from support.privacy import fill, markers

pytest.importorskip("PyQt5.QtWidgets")
from desktop_client.sync import TaskManager  # noqa: E402
from desktop_client.views.main_window import MainWindow  # noqa: E402

pytestmark = pytest.mark.desktop


@pytest.fixture
def window(qtbot, company, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_APP_DIR", str(tmp_path))
    employee = company.user()
    fill(company, employee, {"username": employee.user["username"]})
    manager = TaskManager(RecordingClient(employee.base_url, employee.token), tmp_path,
                          employee.user["id"], poll_seconds=0.3)
    shown = MainWindow(manager, employee.user)
    qtbot.addWidget(shown)
    shown.show()
    yield shown, employee
    manager.stop()


def presence_of(company, employee):
    people = company.owner.get("/api/admin/task-status/").json()["employees"]
    return next(p["occupancy_status"] for p in people if p["id"] == employee.user["id"])


def test_the_bar_says_the_level_and_pauses(qtbot, company, window):
    shown, employee = window
    bar = shown.privacy_bar
    qtbot.waitUntil(lambda: "active, idle or offline" in bar.text.text(), timeout=WAIT)
    assert bar.pause.isVisible() and bar.pause.text() == "Pause"
    bar.pause.click()
    qtbot.waitUntil(lambda: bar.pause.text() == "Resume", timeout=WAIT)
    assert bar.text.text().startswith("Paused") and presence_of(company, employee) == "PAUSED"
    bar.pause.click()
    qtbot.waitUntil(lambda: bar.pause.text() == "Pause", timeout=WAIT)


def test_my_data_lists_what_admins_see_and_saves_the_zip(qtbot, window, tmp_path):
    shown, employee = window
    menu = [a.text() for a in shown.header.menu.actions()]
    assert "My data…" in menu
    shown.open_my_data()
    dialog = shown.my_data
    qtbot.waitUntil(lambda: dialog.tabs.count() == 5, timeout=WAIT)
    marks = markers({"username": employee.user["username"]})
    reports = dialog.tabs.widget(2)
    assert marks["note"] in [reports.item(0, c).text() for c in range(reports.columnCount())]
    assert "progress per active hour" in dialog.figures.text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SCREENSHOTS / "desktop-mydata.png"))
    target = tmp_path / "mine.zip"
    dialog.save_to(str(target))
    qtbot.waitUntil(lambda: dialog.saved_to == str(target), timeout=WAIT)
    with zipfile.ZipFile(target) as zipped:
        assert marks["time"] in zipped.read("my-data.json").decode()
