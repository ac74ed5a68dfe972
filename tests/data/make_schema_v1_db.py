"""Makes tests/data/schema_v1.db: a database at schema version 1 with a little of everything.

Run once when the first schema shipped; kept so upgrade tests start from a real old file."""
import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from server.store import database, migrations, models, times  # noqa: E402
from server.services.people import auth, presence as occupancy
from server.services.tasks import progress, tasks  # noqa: E402

PATH = os.path.join(os.path.dirname(__file__), "schema_v1.db")


def main():
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(PATH + suffix):
            os.remove(PATH + suffix)
    database.open_database("sqlite:///" + PATH)
    assert migrations.migrate(target=1) == 1
    hasher = auth.PasswordHasher(1, 8192)
    with database.db.atomic():
        boss = auth.create_user("boss", "Old Boss", "OWNER", hasher.hash("old-boss-password"))
        ann = auth.create_user("ann", "Old Ann", "EMPLOYEE", hasher.hash("old-ann-password"))
        project = models.Project.create(name="Legacy", description="from v1")
        for n in range(3):
            task = tasks.create(boss, {"title": "Old task %d" % n, "description": "", "assignee_id": ann.id,
                                       "project_id": project.id, "due_date": None, "priority": "HIGH"})
            progress.record_progress(ann, task["id"], {"progress_percentage": 30 * (n + 1),
                                                       "notes": "v1 note",
                                                       "occupancy_status": "ACTIVE",
                                                       "client_update_id": "v1-%d" % n,
                                                       "client_timestamp": None})
        occupancy.heartbeat(ann, "ACTIVE", now=times.utcnow() - datetime.timedelta(hours=1))
    database.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.db.close()


if __name__ == "__main__":
    main()
