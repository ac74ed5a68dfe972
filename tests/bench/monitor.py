"""Monitor benchmark (prints figures; not a test, not in CI): in Chromium, with the Performance
API, the monitor's first render with 10,000 tasks (goal <= 1 s) and one event applied (goal
<= 5 ms), in the default view, grouped by employee and as a table.

    .venv/bin/python tests/bench/monitor.py [--tasks 10000] [--employees 500] [--events 20]

"First render" is the page's `monitor:drawn` mark: from navigation start to the first frame drawn,
snapshot download included. "Event applied" is the `monitor:frame` measure of the frame that takes
the event in: every task tallied again, the view's sections and the changed card redrawn."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from support.browser import CHROMIUM, CHROMIUM_ARGS, sign_in, wait_live  # noqa: E402
from support.client import Api  # noqa: E402
from support.server import USER_PASSWORD, server_env, start_server  # noqa: E402

SEED = r"""
import sys
from server.store import database, migrations
from server.store.database import db
from server.store.models import Project, Task, User
url, count, staff, password_hash = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
database.open_database(url)
db.connect()
migrations.migrate()
with db.atomic():  # rows straight in: the monitor needs tasks, not their history
    admin = User.create(username="seeder", full_name="Seeder", role="ADMIN", password_hash="!")
    people = [User.create(username="worker%03d" % i, full_name="Worker %03d" % i,
                          password_hash=password_hash) for i in range(staff)]
    projects = [Project.create(name="Project %02d" % i, description="") for i in range(25)]
    rows = [{"title": "Bulk task %05d" % i, "assignee": people[i % staff].id, "created_by": admin.id,
             "project": projects[i % 26].id if i % 26 < 25 else None,
             "priority": ("LOW", "MEDIUM", "HIGH", "URGENT")[i % 4]} for i in range(count)]
    for start in range(0, count, 500):
        Task.insert_many(rows[start:start + 500]).execute()
"""
VIEWS = [("cards", ""), ("grouped by employee", "?group=employee"), ("table", "?view=table")]


def seeded_server(folder, tasks, staff):
    from server.services.people.auth import PasswordHasher
    db_url = "sqlite:///%s" % (folder / "tracker.db")
    password_hash = PasswordHasher(1, 8192).hash(USER_PASSWORD)
    subprocess.run([sys.executable, "-c", SEED, db_url, str(tasks), str(staff), password_hash],
                   cwd=ROOT, env=server_env(), check=True, timeout=300)
    return start_server(folder, db_url=db_url)


def first_render(page, url):
    page.goto(url)
    page.wait_for_function("() => performance.getEntriesByName('monitor:drawn').length > 0", timeout=60000)
    page.wait_for_selector("#grid [data-id]")  # grouped, the sections near the screen fill a frame later
    return page.evaluate("""() => ({
        drawn: performance.getEntriesByName('monitor:drawn')[0].startTime,
        snapshot: performance.getEntriesByName('monitor:snapshot')[0].startTime,
        items: document.querySelectorAll('#grid [data-id]').length})""")


def event_frames(page, worker, count):
    """Per event: the duration (ms) of the frame that applied it, on a task drawn on screen."""
    drawn = page.locator("#grid [data-id]").evaluate_all("els => els.map(e => Number(e.dataset.id))")
    own = {t["id"] for t in worker.get("/api/employee-tasks/").json()["tasks"]}
    targets = [i for i in drawn if i in own][:count] or sorted(own)[:count]
    frames = []
    for step, task_id in enumerate(targets):
        page.evaluate("performance.clearMeasures('monitor:frame')")
        value = 10 + step % 80
        worker.post("/api/task/%d/progress/" % task_id, {"progress_percentage": value})
        page.wait_for_function("() => performance.getEntriesByName('monitor:frame').length > 0")
        frames.append(page.evaluate("performance.getEntriesByName('monitor:frame')[0].duration"))
    return frames


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--loads", type=int, default=3, help="page loads per view")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        srv = seeded_server(Path(folder), args.tasks, args.employees)
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
            sign_in(page, srv.url)
            worker = Api(srv.url).login("worker000", USER_PASSWORD)
            print("monitor, %d tasks, %d employees, Chromium %s, %d CPUs (shared, loaded)"
                  % (args.tasks, args.employees, chromium.version, os.cpu_count()))
            for name, query in VIEWS:
                loads = [first_render(page, srv.url + "/dashboard/tasks/monitor/" + query)
                         for _ in range(args.loads)]
                wait_live(page)
                frames = event_frames(page, worker, args.events)
                print("  %-20s first render median %5.0f ms (snapshot in at %4.0f ms), %d items drawn;"
                      " event applied median %.2f ms, max %.2f ms over %d events" % (
                          name, statistics.median(x["drawn"] for x in loads),
                          statistics.median(x["snapshot"] for x in loads), loads[-1]["items"],
                          statistics.median(frames), max(frames), len(frames)))
        finally:
            chromium.close()
            srv.stop()


if __name__ == "__main__":
    main()
