"""With --demo the company keeps working: presence and progress arrive without any client."""
from support.client import Api
from support.server import ServerProcess, server_env
from support.wait import wait_until


def test_demo_company_shows_presence_and_progress_by_itself(tmp_path):
    srv = ServerProcess("sqlite:///%s" % (tmp_path / "live.db"), tmp_path / "live.log",
                        env=server_env(TRACKER_DEMO="true", TRACKER_DEMO_LIVE="true")).start()
    try:
        admin = Api(srv.url).login("adam", "admin-demo-pass")
        first = admin.get("/api/admin/task-status/").json()
        online = [e for e in first["employees"] if e["occupancy_status"] != "OFFLINE"]
        assert len(online) >= 4
        wait_until(lambda: any(t["version"] > before["version"] for t, before in zip(
            admin.get("/api/admin/task-status/").json()["tasks"], first["tasks"])), 60,
            "no task moved within a minute", interval=0.5)
    finally:
        srv.stop()
