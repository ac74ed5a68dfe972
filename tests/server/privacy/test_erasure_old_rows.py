"""Rows written before migration 16 (hash version 1, over the text) can be redacted too: a real
version-1 database is upgraded, a person erased, and verify-audit still passes and still catches
a change to any sealed row."""
import shutil
import sqlite3

from support.server import ROOT, run_cli

OLD = ROOT / "tests" / "data" / "schema_v1.db"


def test_old_rows_are_sealed_redacted_and_still_checked(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(OLD, path)
    url = "sqlite:///%s" % path
    first = run_cli("verify-audit", db_url=url)  # upgrades the file, then checks it
    assert "intact" in first.stdout and "0 of them redacted" in first.stdout
    with sqlite3.connect(path) as conn:
        versions = {v for (v,) in conn.execute("SELECT hash_version FROM task_progress")}
        assert versions == {1}
        assert conn.execute("SELECT COUNT(*) FROM task_progress WHERE seal IS NULL").fetchone()[0] == 0
    erased = run_cli("erase-user", "ann", db_url=url)
    assert "redacted" in erased.stdout
    after = run_cli("verify-audit", db_url=url)
    assert "intact" in after.stdout, after.stdout
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, user_id, notes, redacted, notes_salt FROM task_progress "
                            "ORDER BY id").fetchall()
        assert all(redacted and salt is None for _i, _u, _n, redacted, salt in rows)
        assert {notes for _i, user, notes, _r, _s in rows if user == 2} == {""}
        assert {notes for _i, user, notes, _r, _s in rows if user == 1} == {"Assigned to erased-2"}
    assert "%d of them redacted" % len(rows) in after.stdout
    assert b"v1 note" not in path.read_bytes()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER task_progress_no_update")
        conn.execute("UPDATE task_progress SET new_percentage = 7 WHERE id = 2")
    broken = run_cli("verify-audit", db_url=url, check=False)
    assert broken.returncode == 1 and "BROKEN at row 2" in broken.stdout
