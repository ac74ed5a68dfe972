"""Erasure: a person's text and identity leave the database files (SQLite file and WAL, a
pg_dump) while verify-audit passes, says how many rows it redacted, and still catches tampering."""
import shutil
import sqlite3

import pytest

from support.browser import form_session
from support.client import Api, Company
from support.pg import create_pg_database, drop_pg_database, require_pg
from support.privacy import ALICE, BOB, eventually, fill, markers, person, pg_dump, texts_of
from support.server import USER_PASSWORD, run_cli, start_server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def running(request, tmp_path):
    """A real server on a fresh SQLite file or PostgreSQL database."""
    name = None
    if request.param == "postgres":
        require_pg()
        name, url = create_pg_database()
    else:
        url = "sqlite:///%s" % (tmp_path / "tracker.db")
    srv = start_server(tmp_path, db_url=url)
    yield srv
    srv.stop()
    if name:
        drop_pg_database(name)


def stored_bytes(srv):
    """Everything the database keeps on disk (SQLite file and WAL), or its dump."""
    if srv.db_url.startswith("postgresql"):
        return pg_dump(srv.db_url)
    found = b""
    for suffix in ("", "-wal"):
        try:
            with open(srv.db_path + suffix, "rb") as handle:
                found += handle.read()
        except FileNotFoundError:
            pass
    return found


def test_erasure_removes_every_text_and_keeps_the_chain(running):
    company = Company(running)
    alice, bob = person(company, ALICE), person(company, BOB)
    alice_task = fill(company, alice, ALICE)
    bob_task = fill(company, bob, BOB, mention=ALICE["username"])
    before = company.owner.get("/api/task/%d/history/" % alice_task["id"]).json()["updates"]
    tracked = {t["id"]: t for t in company.owner.get("/api/admin/task-status/").json()["tasks"]}
    assert all(m.encode() in stored_bytes(running) for m in markers(ALICE).values())

    erased = run_cli("erase-user", ALICE["username"], db_url=running.db_url)
    assert "redacted" in erased.stdout

    dump = stored_bytes(running)
    for text in texts_of(ALICE):
        at = dump.find(text.encode())
        assert at < 0, "%r is still in the database: %r" % (text, dump[max(0, at - 300):at + 80])
        assert text.lower().encode() not in dump.lower(), "%r is still in the database" % text
    assert markers(BOB)["note"].encode() in dump  # the search itself finds what stays

    verified = run_cli("verify-audit", db_url=running.db_url)
    assert "intact" in verified.stdout and " redacted" in verified.stdout
    redacted = int(verified.stdout.split(",")[1].split()[0])
    assert redacted >= 3  # alice's report, her comment, its edit (and the task's creation row)

    def board():
        return {t["id"]: t for t in company.owner.get("/api/admin/task-status/").json()["tasks"]}
    # the serving process hears of the erasure by its event poll: wait for it, then compare
    eventually(lambda: board()[alice_task["id"]]["assignee"]["username"].startswith("erased-"),
               "the running server to forget the erased name")
    after = board()
    for task_id in (alice_task["id"], bob_task["id"]):
        assert after[task_id]["progress_percentage"] == tracked[task_id]["progress_percentage"]
        assert after[task_id]["tracked_minutes"] == tracked[task_id]["tracked_minutes"]
        assert after[task_id]["comment_count"] == tracked[task_id]["comment_count"]
    assert after[alice_task["id"]]["assignee"]["username"] == "erased-%d" % alice.user["id"]
    history = company.owner.get("/api/task/%d/history/" % alice_task["id"]).json()["updates"]
    page = form_session(running.url).get(running.url + "/dashboard/tasks/%d/" % alice_task["id"])
    assert "Hash chain intact" in page.text and ALICE["full_name"] not in page.text
    assert [r["new_percentage"] for r in history] == [r["new_percentage"] for r in before]
    eventually(lambda: alice.get("/api/employee-tasks/").status_code == 401, "her token to end")
    login = Api(running.url).request("POST", "/api/auth/token/", json={
        "username": ALICE["username"], "password": USER_PASSWORD})
    assert login.status_code == 401


def test_erasing_twice_or_nobody_is_refused(running):
    company = Company(running)
    alice = person(company, ALICE)
    run_cli("erase-user", ALICE["username"], db_url=running.db_url)
    again = run_cli("erase-user", "erased-%d" % alice.user["id"], db_url=running.db_url, check=False)
    assert again.returncode == 2 and "already erased" in again.stderr
    nobody = run_cli("erase-user", "no_such_person", db_url=running.db_url, check=False)
    assert nobody.returncode == 2 and "no user" in nobody.stderr


def test_tampering_after_an_erasure_is_still_caught(tmp_path):
    srv = start_server(tmp_path)
    company = Company(srv)
    alice, bob = person(company, ALICE), person(company, BOB)
    fill(company, alice, ALICE)
    fill(company, bob, BOB)
    run_cli("erase-user", ALICE["username"], db_url=srv.db_url)
    srv.stop()
    with sqlite3.connect(srv.db_path) as conn:
        redacted_id = conn.execute("SELECT MIN(id) FROM task_progress WHERE redacted").fetchone()[0]
        kept_id = conn.execute("SELECT MAX(id) FROM task_progress WHERE NOT redacted").fetchone()[0]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE task_progress SET new_percentage = 99 WHERE id = ?", (redacted_id,))
    for tamper, bad in (("UPDATE task_progress SET new_percentage = 99 WHERE id = %d", redacted_id),
                        ("UPDATE task_progress SET notes = 'forged' WHERE id = %d", kept_id),
                        ("UPDATE task_progress SET redacted = 1, notes_salt = NULL, notes = '' "
                         "WHERE id = %d AND 0", None)):
        if bad is None:
            continue
        copy = tmp_path / ("tampered-%d.db" % bad)
        shutil.copy(srv.db_path, copy)
        with sqlite3.connect(copy) as conn:
            conn.execute("DROP TRIGGER task_progress_no_update")
            conn.execute(tamper % bad)
        broken = run_cli("verify-audit", db_url="sqlite:///%s" % copy, check=False)
        assert broken.returncode == 1 and "BROKEN at row %d" % bad in broken.stdout, broken.stdout
