"""With --demo the company keeps working: presence and progress arrive without any client."""
import time

from support.client import Api
from support.server import ServerProcess, server_env


def test_demo_company_shows_presence_and_progress_by_itself(tmp_path):
    srv = ServerProcess("sqlite:///%s" % (tmp_path / "live.db"), tmp_path / "live.log",
                        env=server_env(TRACKER_DEMO="true", TRACKER_DEMO_LIVE="true")).start()
    try:
        admin = Api(srv.url).login("adam", "admin-demo-pass")
        first = admin.get("/api/admin/task-status/").json()
        online = [e for e in first["employees"] if e["occupancy_status"] != "OFFLINE"]
        assert len(online) >= 4
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            later = admin.get("/api/admin/task-status/").json()
            if any(t["version"] > before["version"] for t, before in zip(later["tasks"], first["tasks"])):
                break
            time.sleep(0.5)
        else:
            raise AssertionError("no task moved within a minute")
    finally:
        srv.stop()
