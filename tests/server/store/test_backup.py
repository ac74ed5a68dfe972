"""python -m server backup: a consistent, verified copy of a SQLite database taken while it serves."""
import os
import threading
import time
import uuid
from pathlib import Path

import pytest

from support.client import Api, Company
from support.server import OWNER_PASSWORD, ServerProcess, run_cli, server_env, start_server


class Burst(threading.Thread):
    """Progress updates as fast as one client goes; each acknowledged key with its answer time."""

    def __init__(self, employee, task):
        super().__init__(daemon=True)
        self.employee, self.task = employee, task
        self.acked, self.stop, self.failures = [], threading.Event(), []

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            key = uuid.uuid4().hex
            answer = self.employee.post("/api/task/%d/progress/" % self.task["id"],
                                        {"progress_percentage": n % 99 + 1, "client_update_id": key})
            if answer.status_code != 200:
                self.failures.append(answer.text)
            else:
                self.acked.append((time.monotonic(), key))

    def acked_between(self, start, end):
        return [key for at, key in self.acked if start <= at < end]


@pytest.fixture
def live(tmp_path):
    server = start_server(tmp_path)
    yield server
    server.stop()


def test_backup_during_a_burst_of_writes_holds_every_acknowledged_update(live, tmp_path):
    company = Company(live)
    employee = company.user()
    task = company.task(employee)
    burst = Burst(employee, task)
    burst.start()
    while len(burst.acked) < 50:  # the database has history before the backup begins
        time.sleep(0.01)
    copy = tmp_path / "copy.db"
    began = time.monotonic()
    # One page per step: hundreds of steps, so writes land between them.
    made = run_cli("backup", str(copy), "--pages", "1", db_url=live.db_url)
    ended = time.monotonic()
    while not burst.acked_between(ended, float("inf")):  # the server still writes afterwards
        time.sleep(0.01)
    burst.stop.set()
    burst.join()
    assert not burst.failures
    assert "audit trail intact" in made.stdout
    assert burst.acked_between(began, ended), "no write was answered while the backup ran"

    verified = run_cli("verify-audit", db_url="sqlite:///%s" % copy)
    assert "audit trail intact" in verified.stdout
    restored = ServerProcess("sqlite:///%s" % copy, tmp_path / "restored.log", env=server_env()).start()
    try:
        owner = Api(restored.url).login("root", OWNER_PASSWORD)
        history = owner.history(task["id"])
    finally:
        restored.stop()
    served = {update["client_update_id"] for update in history}
    missing = set(burst.acked_between(0, began)) - served
    assert not missing, "%d acknowledged updates are not in the copy" % len(missing)


def test_backup_never_overwrites_an_existing_file(live, tmp_path):
    target = tmp_path / "precious.db"
    target.write_bytes(b"yesterday's backup")
    refused = run_cli("backup", str(target), db_url=live.db_url, check=False)
    assert refused.returncode == 2
    assert "exists" in refused.stderr and "never overwrites" in refused.stderr
    assert target.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir() if "precious" in p.name) == ["precious.db"]


def unwritable_folder(tmp_path):
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    return Path("/sys")  # a mode does not stop root; sysfs refuses even root a new file


def test_backup_into_an_unwritable_folder_is_a_clear_error(live, tmp_path):
    folder = unwritable_folder(tmp_path)
    refused = run_cli("backup", str(folder / "tracker-backup.db"), db_url=live.db_url, check=False)
    assert refused.returncode == 2
    assert "cannot write in %s" % folder in refused.stderr, refused.stderr
    assert not any("tracker-backup" in name for name in os.listdir(folder))


def test_backup_into_a_missing_folder_is_a_clear_error(live, tmp_path):
    refused = run_cli("backup", str(tmp_path / "no" / "such" / "b.db"), db_url=live.db_url, check=False)
    assert refused.returncode == 2 and "does not exist" in refused.stderr


def test_backup_of_postgresql_points_at_pg_dump(tmp_path):
    refused = run_cli("backup", str(tmp_path / "b.db"), db_url="postgresql://postgres@127.0.0.1/x",
                      check=False)
    assert refused.returncode == 2 and "pg_dump" in refused.stderr
    assert not (tmp_path / "b.db").exists()
