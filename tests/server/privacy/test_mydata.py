"""My data: the export holds all of alice's data and none of bob's, on SQLite and PostgreSQL."""
import io
import json
import zipfile

import pytest

from support.client import Company
from support.pg import create_pg_database, drop_pg_database, require_pg
from support.privacy import ALICE, BOB, fill, markers, person
from support.server import start_server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def running(request, tmp_path):
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


def test_export_holds_all_of_alice_and_none_of_bob(running):
    company = Company(running)
    alice, bob = person(company, ALICE), person(company, BOB)
    fill(company, alice, ALICE)
    fill(company, bob, BOB)
    answer = alice.get("/api/me/export")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    zipped = zipfile.ZipFile(io.BytesIO(answer.content))
    assert {"my-data.json", "presence.csv", "time_entries.csv", "progress_reports.csv",
            "comments.csv", "audit_rows.csv", "statistics.csv"} <= set(zipped.namelist())
    everything = b"".join(zipped.read(name) for name in zipped.namelist()).decode()
    for text in markers(ALICE).values():
        assert text in everything, text
    for text in list(markers(BOB).values()) + [BOB["username"], BOB["email"]]:
        assert text not in everything, text
    data = json.loads(zipped.read("my-data.json"))
    assert data["profile"]["email"] == ALICE["email"]
    assert data["presence"] and data["presence"][0]["status"] == "ACTIVE"
    assert [r["new_percentage"] for r in data["progress_reports"]] == [40]
    assert all(w["row"]["id"] == alice.user["id"] for w in data["statistics"])
    assert "active_ratio" in data["statistics"][0]["row"]
    assert "progress_per_active_hour" in data["statistics"][0]["row"]
    assert markers(ALICE)["note"] in zipped.read("progress_reports.csv").decode()


def test_my_data_matches_what_the_admin_sees(running):
    company = Company(running)
    alice = person(company, ALICE)
    fill(company, alice, ALICE)
    mine = alice.get("/api/me/data/").json()
    admin_row = next(r for r in company.owner.get("/api/admin/statistics/?hours=24").json()["employees"]
                     if r["id"] == alice.user["id"])
    day = next(w["row"] for w in mine["statistics"] if w["hours"] == 24)
    for name in ("active_ratio", "progress_points", "assigned", "average_progress"):
        assert day[name] == admin_row[name], name
    assert company.owner.get("/api/me/data/").json()["profile"]["username"] == "root"
    assert alice.get("/api/me/privacy/").json()["presence_detail"] == "full"
