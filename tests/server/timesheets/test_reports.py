"""The monthly reports on a real server: the PDF read back with pdftotext (Debian's poppler-utils)
holds the person's name and totals, in Arabic and Japanese too; the XLSX read with openpyxl sums
to the entries; an employee gets their own report only; bad months are refused."""
import datetime
import io
import subprocess

import openpyxl

from support.aging import backdate as backdate_task
from support.timer import iso


def yesterday_at(hour, minute=0):
    day = datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def pdf_text(content, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def worker(company, server, name):
    """A person named `name` with 1 h 30 min and 45 min on yesterday's projects."""
    person = company.user(name=None)
    assert company.owner.patch("/api/admin/users/%d/" % person.user["id"],
                               {"full_name": name}).status_code == 200
    project = company.owner.post("/api/admin/projects/", {"name": "Proj %s" % person.user["id"]})
    task = company.task(person, project_id=project.json()["id"])
    other = company.task(person)
    for made in (task, other):
        backdate_task(server, made["id"])
    for target, start, end in ((task, yesterday_at(9), yesterday_at(10, 30)),
                               (other, yesterday_at(13), yesterday_at(13, 45))):
        answer = person.post("/api/task/%d/time-entries/" % target["id"],
                             {"started_at": iso(start), "ended_at": iso(end)})
        assert answer.status_code == 201, answer.text
    return person


def test_the_pdf_holds_names_and_totals_in_any_script(company, server, tmp_path):
    month = yesterday_at(0).strftime("%Y-%m")
    for name in ("Emma Schmidt", "ليلى حداد", "山田 花子"):
        person = worker(company, server, name)
        answer = person.get("/api/reports/time.pdf?month=%s" % month)
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
        text = pdf_text(answer.content, tmp_path)
        words = name.split()
        assert all(word in text for word in words), text[:400]
        assert "2:15" in text and "1:30" in text and "0:45" in text


def test_the_xlsx_sums_to_the_entries(company, server):
    person = worker(company, server, "=HYPERLINK(\"x\")")
    month = yesterday_at(0).strftime("%Y-%m")
    answer = company.owner.get("/api/reports/time.xlsx?month=%s&user=%d" % (month, person.user["id"]))
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    rows = list(book["Hours"].iter_rows(min_row=2, values_only=True))
    assert sum(row[3] for row in rows) == 135
    assert {row[2] for row in rows} == {"Proj %d" % person.user["id"], "No project"}
    summary = list(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary[0][0] == "=HYPERLINK(\"x\")" and summary[0][2] == 135
    assert book["Summary"]["A2"].data_type == "s"


def test_an_employee_gets_their_own_only_and_bad_months_are_refused(company, server):
    ann, bob = company.user(), company.user()
    assert ann.get("/api/reports/time.xlsx?month=2026-11&user=%d" % bob.user["id"]).status_code == 404
    own = ann.get("/api/reports/time.xlsx?month=2026-11")
    book = openpyxl.load_workbook(io.BytesIO(own.content))
    assert [row[0] for row in book["Summary"].iter_rows(min_row=2, values_only=True)] == [
        ann.user["full_name"]]
    for bad in ("2026-13", "2026-1", "now", ""):
        refused = ann.get("/api/reports/time.pdf?month=%s" % bad)
        assert refused.status_code == 400 and refused.json()["error"]["field"] == "month", bad
    assert ann.get("/api/reports/time.pdf?month=2026-11&user=me").status_code == 400
    missing = company.owner.get("/api/reports/time.pdf?month=2026-11&team=999999")
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "team"


def test_the_pdf_is_in_the_readers_language(company, server, tmp_path):
    person = worker(company, server, "Jonas Wolf")
    assert person.patch("/api/me/", {"locale": "de"}).status_code == 200
    month = yesterday_at(0)
    text = pdf_text(person.get("/api/reports/time.pdf?month=%s" % month.strftime("%Y-%m")).content,
                    tmp_path)
    german_month = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                    "September", "Oktober", "November", "Dezember"][month.month - 1]
    assert "Arbeitszeit %s %d" % (german_month, month.year) in text, text[:400]
    assert "Gesamt" in text and "2:15" in text and "Total" not in text
