"""The monitor with 2,000 tasks: a page of cards drawn, not all; one event touches its own card only.
Figures (load and update times) are written to artifacts/pages-scale.txt; only behaviour is asserted."""
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, browser, card, context, open_monitor, wait_live  # noqa: F401
from support.client import Api
from support.server import ROOT, USER_PASSWORD, server_env, start_server

pytestmark = pytest.mark.browser
TASKS = 2000

SEED = r"""
import sys
from server.store import database, migrations
from server.store.database import db
from server.store.models import Task, User
url, count, password_hash = sys.argv[1], int(sys.argv[2]), sys.argv[3]
database.open_database(url)
db.connect()
migrations.migrate()
with db.atomic():  # rows straight in: the monitor needs tasks, not their history
    admin = User.create(username="seeder", full_name="Seeder", role="ADMIN", password_hash="!")
    people = [User.create(username="worker%02d" % i, full_name="Worker %02d" % i,
                          password_hash=password_hash) for i in range(20)]
    rows = [{"title": "Bulk task %04d" % i, "assignee": people[i % 20].id, "created_by": admin.id,
             "priority": ("LOW", "MEDIUM", "HIGH", "URGENT")[i % 4]} for i in range(count)]
    for start in range(0, count, 500):
        Task.insert_many(rows[start:start + 500]).execute()
"""


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    db_url = "sqlite:///%s" % (folder / "tracker.db")
    from server.services.people.auth import PasswordHasher
    password_hash = PasswordHasher(1, 8192).hash(USER_PASSWORD)
    subprocess.run([sys.executable, "-c", SEED, db_url, str(TASKS), password_hash], cwd=ROOT,
                   env=server_env(), check=True, timeout=120)
    srv = start_server(folder, db_url=db_url)
    yield srv
    srv.stop()


OBSERVE = """() => {
    window.__touched = new Set();
    new MutationObserver(records => {
        for (const r of records) {
            const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            const host = node && node.closest('.card');
            window.__touched.add(host ? host.id : (node && node.id) || '?');
        }
    }).observe(document.getElementById('grid'),
               {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_two_thousand_tasks_draw_a_page_and_an_event_changes_only_its_own_card(big_server, context):
    started = time.monotonic()
    page = open_monitor(context, big_server.url)
    expect(page.locator('[data-metric="total"]')).to_have_text(str(TASKS), timeout=30000)
    load_seconds = time.monotonic() - started
    wait_live(page)
    drawn = page.locator("#grid .card").count()
    assert 0 < drawn <= 100, drawn  # a page, not the whole board
    assert page.inner_text("#shown") == "%d tasks" % TASKS
    page.evaluate(OBSERVE)
    worker = Api(big_server.url).login("worker07", USER_PASSWORD)
    own = worker.get("/api/employee-tasks/").json()["tasks"]
    target = next(t for t in own if t["title"] == "Bulk task 0007")  # far below the first page
    sent = time.monotonic()
    worker.post("/api/task/%d/progress/" % target["id"], {"progress_percentage": 35, "notes": "deep"})
    expect(page.locator('[data-metric="in_progress"]')).to_have_text("1", timeout=WAIT_MS)
    assert page.evaluate("[...window.__touched]") == []  # not drawn: only the counts change
    assert page.inner_text('[data-count="IN_PROGRESS"]') == "1"

    page.fill("#search", "Bulk task 0007")  # the server's search finds it too
    expect(card(page, target["id"]).locator("[data-ref=pct]")).to_have_text("35 %", timeout=WAIT_MS)
    update_seconds = time.monotonic() - sent
    page.fill("#search", "")
    expect(page.locator("#grid .card")).to_have_count(drawn, timeout=WAIT_MS)

    shown = set(page.locator("#grid .card").evaluate_all("cs => cs.map(c => Number(c.dataset.id))"))
    burst = [t for t in own if t["id"] in shown][:40]
    page.evaluate(OBSERVE)
    sent = time.monotonic()
    for index, task in enumerate(burst):
        worker.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 50 + index % 40})
    last = burst[-1]
    expect(card(page, last["id"]).locator("[data-ref=pct]")).to_have_text(
        "%d %%" % (50 + (len(burst) - 1) % 40), timeout=WAIT_MS)
    burst_seconds = time.monotonic() - sent
    touched = set(page.evaluate("[...window.__touched]"))
    assert touched == {"task-%d" % t["id"] for t in burst}
    page.click("#grid .btn.more")
    expect(page.locator("#grid .card")).to_have_count(2 * drawn)
    figures = ("monitor with %d tasks: first page of %d cards drawn %.2f s after sign-in; an update "
               "found by search %.3f s after the API call; %d updates sent one by one, all shown "
               "after %.2f s\n" % (TASKS, drawn, load_seconds, update_seconds, len(burst), burst_seconds))
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "pages-scale.txt").write_text(figures)
    print(figures)
