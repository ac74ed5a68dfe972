"""Starting a newer server on an older database upgrades it in place without losing a row."""
import shutil
import sqlite3
from pathlib import Path

import peewee as pw
import pytest

from support.client import Api
from support.pg import create_pg_database, drop_pg_database, require_pg
from support.server import run_cli, ServerProcess, server_env
from server.store import database, migrations, models, outbox_models, times
from server.store.database import db
from server.store.models import Task, TaskProgress, User

V1_FILE = Path(__file__).parents[2] / "data" / "schema_v1.db"
TABLES = ("user", "api_token", "project", "task", "task_progress", "event", "occupancy_interval")


def row_counts(path):
    with sqlite3.connect(path) as conn:
        return {t: conn.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in TABLES}


def test_server_upgrades_a_version_1_file_without_losing_rows(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(V1_FILE, path)
    before = row_counts(path)
    assert before["task_progress"] == 6 and before["task"] == 3
    srv = ServerProcess("sqlite:///%s" % path, tmp_path / "server.log", env=server_env()).start()
    try:
        with sqlite3.connect(path) as conn:
            versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]
            indexes = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert versions == [version for version, _step in migrations.MIGRATIONS]
        assert "task_progress_created_at" in indexes
        ann = Api(srv.url).login("ann", "old-ann-password")
        old_tasks = ann.get("/api/employee-tasks/").json()["tasks"]
        assert [t["progress_percentage"] for t in old_tasks] == [30, 60, 90]
        replay = ann.post("/api/task/%d/progress/" % old_tasks[0]["id"],
                          {"progress_percentage": 30, "notes": "v1 note", "occupancy_status": "ACTIVE",
                           "client_update_id": "v1-0"})
        assert replay.headers.get("Idempotent-Replayed") == "true"  # keys kept across the upgrade
        ann.post("/api/task/%d/progress/" % old_tasks[0]["id"], {"progress_percentage": 45})
    finally:
        srv.stop()
    after = row_counts(path)
    assert all(after[t] >= before[t] for t in TABLES)
    assert after["task_progress"] == before["task_progress"] + 1
    assert run_cli("verify-audit", db_url="sqlite:///%s" % path).returncode == 0


def test_migrate_is_idempotent(tmp_path):
    database.open_database("sqlite:///%s" % (tmp_path / "twice.db"))
    try:
        assert migrations.migrate() == migrations.SCHEMA_VERSION
        assert migrations.migrate() == migrations.SCHEMA_VERSION
        assert models.SchemaVersion.select().count() == len(migrations.MIGRATIONS)
    finally:
        db.close()


@pytest.mark.postgres
def test_postgres_upgrade_from_version_1_keeps_rows(pg_url):
    from server.services.record import audit
    database.open_database(pg_url)
    try:
        assert migrations.migrate(target=1) == 1
        with db.atomic():
            boss = User.create(username="boss", role="OWNER", password_hash="x")
            ann = User.create(username="ann", password_hash="x")
            # The task row as a version-1 server wrote it: today's Task model has later columns.
            now = times.utcnow()
            task_id = db.execute_sql(
                'INSERT INTO "task" ("title", "description", "assignee_id", "created_by_id", "priority", '
                '"status", "progress_percentage", "created_at", "updated_at", "version") '
                "VALUES ('old', '', %s, %s, 'LOW', 'IN_PROGRESS', 50, %s, %s, 2) RETURNING id",
                (ann.id, boss.id, now, now)).fetchone()[0]
            audit.append(task_id=task_id, user_id=boss.id, action="create", new_percentage=0,
                         new_status="PENDING", task_version=1)
            # A version-1 server wrote no progress_hour row: only the chain itself.
            row = dict(task_id=task_id, user_id=ann.id, action="progress", previous_percentage=0,
                       new_percentage=50, previous_status="PENDING", new_status="IN_PROGRESS",
                       client_update_id="pg-1", client_timestamp=None, occupancy_status=None,
                       notes="", task_version=2, created_at=now, id=2)
            prev = TaskProgress.get_by_id(1).hash
            TaskProgress.insert(dict(row, prev_hash=prev, hash=audit.row_hash(prev, row))).execute()
        assert migrations.migrate() == migrations.SCHEMA_VERSION
        assert (Task.select().count(), TaskProgress.select().count(), User.select().count()) == (1, 2, 2)
        assert [(h.user_id, h.points) for h in models.ProgressHour.select()] == [(ann.id, 50)]
    finally:
        db.close()


def test_migrations_build_every_column_the_models_use(database):
    """The frozen first schema plus the migrations match the models: no column left behind."""
    for model in (User, models.ApiToken, models.Project, Task, TaskProgress, models.Event,
                  models.OccupancyInterval, models.LoginFailure, models.ProgressHour, outbox_models.Mail,
                  outbox_models.MailMark):
        table = model._meta.table_name
        in_db = {c.name for c in db.get_columns(table)}
        in_model = {f.column_name for f in model._meta.sorted_fields}
        assert in_model <= in_db, "%s lacks %s" % (table, in_model - in_db)
        indexes = {i.name for i in db.get_indexes(table)}
        assert not indexes & set(migrations.UNUSED_INDEXES), "%s keeps an index version 4 dropped" % table
        for fields, _unique in model._meta.indexes:
            name = "%s_%s" % (table, "_".join(model._meta.fields[f].column_name for f in fields))
            assert name in indexes, "%s lacks index %s" % (table, name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def version_6(request, tmp_path):
    """A database at schema version 6, before usernames were unique whatever their case."""
    name = None
    if request.param == "sqlite":
        url = "sqlite:///%s" % (tmp_path / "v6.db")
    else:
        require_pg()
        name, url = create_pg_database()
    database.open_database(url)
    assert migrations.migrate(target=6) == 6
    yield url
    db.close()
    if name:
        drop_pg_database(name)


def test_usernames_clashing_in_case_stop_the_upgrade_until_renamed(version_6, caplog):
    with db.atomic():
        for name in ("casey", "Casey", "CASEY", "robin", "Robin", "alex"):
            User.create(username=name, password_hash="x")
    with pytest.raises(migrations.Refused) as refused:
        migrations.migrate()
    message = str(refused.value)
    for name in ("casey", "Casey", "CASEY", "robin", "Robin"):
        assert "%s (id " % name in message
    assert "alex" not in message and "UPDATE" in message
    assert message in caplog.text  # logged too
    assert migrations.current_version() == 6  # nothing half-done
    for number, name in enumerate(("Casey", "CASEY", "Robin"), start=2):
        User.update(username="%s%d" % (name, number)).where(User.username == name).execute()
    assert migrations.migrate() == migrations.SCHEMA_VERSION
    with pytest.raises(pw.IntegrityError), db.atomic():
        User.create(username="ALEX", password_hash="x")


def test_a_server_on_a_clashing_database_refuses_to_start_and_says_why(tmp_path):
    path = tmp_path / "clash.db"
    database.open_database("sqlite:///%s" % path)
    try:
        migrations.migrate(target=6)
        User.create(username="casey", password_hash="x")
        User.create(username="Casey", password_hash="x")
    finally:
        db.close()
    started = run_cli("verify-audit", db_url="sqlite:///%s" % path, check=False)
    assert started.returncode == 2
    assert "casey (id 1), Casey (id 2)" in started.stderr
    srv = ServerProcess("sqlite:///%s" % path, tmp_path / "server.log", env=server_env())
    with pytest.raises(AssertionError, match="differ only in case"):
        srv.start()
    assert srv.proc.returncode == 2
