"""`GET /api/me/export`: a ZIP of the person's data as JSON (all of it) and CSV (each list)."""
import csv
import io
import json
import zipfile

from server.services.privacy.mydata import everything

LISTS = ("presence", "time_entries", "progress_reports", "comments", "audit_rows")
README = ("Your data in the Employee Progress Tracker, as your employer's admins see it.\n"
          "my-data.json holds everything; each CSV file holds one list of it.\n")


def safe_cell(value):
    """A CSV cell a spreadsheet will not run as a formula (=, +, -, @ starts)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(rows):
    out = io.StringIO()
    if rows:
        names = list(dict.fromkeys(k for row in rows for k, v in row.items()
                                   if not isinstance(v, (list, dict))))
        writer = csv.writer(out)
        writer.writerow(names)
        for row in rows:
            writer.writerow([safe_cell(row.get(n)) for n in names])
    return out.getvalue()


def archive(user, settings):
    """(file name, ZIP bytes)."""
    data = everything(user, settings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("README.txt", README)
        zipped.writestr("my-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name in LISTS:
            zipped.writestr("%s.csv" % name, as_csv(data[name]))
        stats = [dict(r["row"] or {}, hours=r["hours"]) for r in data["statistics"]]
        zipped.writestr("statistics.csv", as_csv(stats))
    return "my-data-%s.zip" % user.username, buffer.getvalue()
