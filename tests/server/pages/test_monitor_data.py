"""The monitor sends what the screen needs first (issue 31), in Chromium against a real server
whose page size is deliberately small: the figures and filters over every task are what a full
load counts while the page holds only a few cards' updates; a card's updates load when it is
drawn, in order, and live events keep them right; a page back after missed events reads exactly
what changed since its cursor, not the whole board and not every event."""
import datetime
import urllib.parse

import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, PageErrors, browser, card, context, sign_in, wait_live  # noqa: F401
from support.client import Company
from support.server import make_server
from support.wait import wait_until

pytestmark = pytest.mark.browser
PAGE_SIZE = 4
UPDATES = "/api/admin/task-updates/"
METRICS = ("total", "pending", "in_progress", "done", "cancelled", "overdue")
SHOWN = ("total", "pending", "in_progress", "done", "overdue")  # the key figures on the page
CHIPS = ("all", "PENDING", "IN_PROGRESS", "DONE", "CANCELLED", "stale", "at_risk", "blocked")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    srv = make_server(tmp_path_factory.mktemp("small-pages"), monitor_page_size=PAGE_SIZE)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def board(small):
    """60 tasks of four people in two projects (and none), in every status, some overdue and
    some blocked: the full load's figures differ from any few cards'."""
    company = Company(small)
    # Names without digits: the catch-up test searches "Survey 05", and a name holding "05"
    # (as a random hex name may) would match all its owner's tasks and push the card past the page.
    people = [company.user(name="employee_" + tree) for tree in ("alder", "birch", "cedar", "hazel")]
    projects = [company.owner.post("/api/admin/projects/", {"name": name}).json()
                for name in ("Harbour", "Lighthouse")]
    past = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)).isoformat()
    made = []
    for n in range(60):
        fields = {"priority": ("LOW", "MEDIUM", "HIGH", "URGENT")[n % 4], "title": "Survey %02d" % n}
        if n % 3 < 2:
            fields["project_id"] = projects[n % 3]["id"]
        if n % 7 == 0:
            fields["due_date"] = past
        made.append(company.task(people[n % 4], **fields))
    for n, task in enumerate(made):
        person = people[n % 4]
        if n % 5 == 1:
            assert person.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 30}).ok
        elif n % 5 == 2:
            assert person.post("/api/task/%d/complete/" % task["id"], {}).ok
        elif n % 5 == 3:
            assert company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"}).ok
    for n in (4, 9):  # open tasks waiting for an open one: blocked
        assert company.owner.post("/api/admin/tasks/%d/dependencies/" % made[n]["id"],
                                  {"depends_on": made[0]["id"]}).status_code == 201
    return company, people, made


def counted(tasks):
    """The figures and chip counts as a full load counts them (the server's objects)."""
    metrics = dict.fromkeys(METRICS, 0)
    chips = dict.fromkeys(CHIPS, 0)
    for task in tasks:
        metrics["total"] += 1
        metrics[task["status"].lower()] += 1
        metrics["overdue"] += task["is_overdue"]
        chips["all"] += 1
        chips[task["status"]] += 1
        chips["stale"] += task["is_stale"]
        chips["at_risk"] += task["at_risk"]
        chips["blocked"] += task["is_blocked"]
    return {name: metrics[name] for name in SHOWN}, chips


def shown(page):
    metrics = {name: int(page.inner_text('[data-metric="%s"]' % name)) for name in SHOWN}
    chips = {name: int(page.inner_text('[data-count="%s"]' % name)) for name in CHIPS}
    return metrics, chips


def asked_ids(urls):
    return [int(i) for url in urls for i in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["ids"][0].split(",")]


def watch(page, part):
    """The URLs of the page's requests whose path holds `part`, as they are made."""
    found = []
    page.on("request", lambda request: part in request.url and found.append(request.url))
    return found


def test_figures_and_filters_count_every_task_while_the_page_holds_a_few_cards(small, board, context):
    company, people, made = board
    full = company.owner.get("/api/admin/task-status/").json()["tasks"]
    page = context.new_page()
    errors = PageErrors(page)
    asked = watch(page, UPDATES)
    with page.expect_response(lambda r: "snapshot.json" in r.url) as first:
        sign_in(page, small.url)
    snapshot = first.value.json()
    page.wait_for_selector("#grid .card")
    assert "recent" not in snapshot and all("description" not in task for task in snapshot["tasks"])
    expect(page.locator("#grid .card")).to_have_count(PAGE_SIZE)
    expect(page.locator("#grid .card [data-ref=updates] li").first).to_be_visible()
    assert sorted(asked_ids(asked)) == sorted(int(i) for i in page.locator("#grid .card").evaluate_all(
        "cards => cards.map(c => c.dataset.id)"))  # the drawn cards' updates, and no others
    assert shown(page) == counted(full)
    names = {t["assignee"]["id"]: t["assignee"]["full_name"] or t["assignee"]["username"] for t in full}
    employee = [o for o in page.locator("#pick-employee option").evaluate_all("os => os.map(o => o.value)") if o]
    assert set(employee) >= {str(i) for i in names}
    projects = page.locator("#pick-project option").evaluate_all("os => os.map(o => o.value)")
    assert set(projects) == {""} | {str(t["project"]["id"]) if t["project"] else "none" for t in full}
    # Narrowed by the URL: the chips count what the full load holds of that person, or that word.
    person = people[1].user["id"]
    for query, keep in (("?employee=%d" % person, lambda t: t["assignee"]["id"] == person),
                        ("?q=lighthouse", lambda t: (t["project"] or {}).get("name") == "Lighthouse")):
        page.goto(small.url + "/dashboard/tasks/monitor/" + query)
        page.wait_for_selector("#grid .card")
        expect(page.locator('[data-count="all"]')).to_have_text(str(counted(filter(keep, full))[1]["all"]))
        assert shown(page)[1] == counted(filter(keep, full))[1]
        assert shown(page)[0] == counted(full)[0]  # the key figures stay the company's
    assert errors.errors == []


def test_a_cards_updates_load_when_it_is_drawn_in_order_and_events_keep_them_right(small, board, context):
    company, people, _made = board
    worker = people[0]
    hidden = company.task(worker, title="Paint the stairs")  # below the first cards once newer come
    newest = company.task(worker, title="Fix the gate")
    for step in range(1, 8):
        assert worker.post("/api/task/%d/progress/" % newest["id"],
                           {"progress_percentage": step * 10, "notes": "Step %d" % step}).ok
    for _ in range(PAGE_SIZE):
        company.task(people[2])
    extra = company.task(worker, title="Oil the hinges")  # the newest: the first card
    page = context.new_page()
    errors = PageErrors(page)
    asked = watch(page, UPDATES)
    sign_in(page, small.url)
    wait_live(page)
    target = card(page, extra["id"])
    expect(target.locator("[data-ref=updates] li")).to_have_count(1)  # its creation
    assert hidden["id"] not in asked_ids(asked) and newest["id"] not in asked_ids(asked)
    # Not drawn yet: a report on it arrives live, before its list was ever read.
    assert worker.post("/api/task/%d/progress/" % newest["id"],
                       {"progress_percentage": 80, "notes": "Step 8"}).ok
    page.click("#grid .more")  # show more: now it is drawn, and its updates are read
    notes = card(page, newest["id"]).locator("[data-ref=updates] li q")
    expect(notes).to_have_text(["Step 8", "Step 7", "Step 6", "Step 5", "Step 4"], timeout=WAIT_MS)
    assert asked_ids(asked).count(newest["id"]) == 1
    before = len(asked)
    assert worker.post("/api/task/%d/progress/" % newest["id"],
                       {"progress_percentage": 90, "notes": "Step 9"}).ok
    expect(notes).to_have_text(["Step 9", "Step 8", "Step 7", "Step 6", "Step 5"], timeout=WAIT_MS)
    assert newest["id"] not in asked_ids(asked[before:])  # the event alone kept it right
    assert errors.errors == []


def test_a_page_back_after_missed_events_reads_exactly_what_changed(small, board, context):
    company, people, made = board
    page = context.new_page()
    errors = PageErrors(page)
    snapshots, sockets = watch(page, "snapshot.json"), []
    page.on("websocket", lambda socket: sockets.append(socket))
    sign_in(page, small.url)
    wait_live(page)
    page.click(".switch")  # auto-refresh off: away, the channel stops
    wait_live(page, "paused")
    open_tasks = [made[5], made[10], made[15]]  # pending, not overdue, not blocked
    changed = []
    for n, task in enumerate(open_tasks):  # several events on each of three tasks
        person = next(p for p in people if p.user["id"] == task["assignee"]["id"])
        for percent in (11, 22):
            assert person.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": percent + n}).ok
        changed.append(task["id"])
    assert people[3].post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).ok
    newest = company.owner.get("/api/admin/task-status/").json()["cursor"]
    page.evaluate("(ahead => { const now = Date.now; Date.now = () => now() + ahead; })(60000)")  # a minute on
    with page.expect_response(lambda r: "snapshot.json?since=" in r.url) as back:
        page.click(".switch")  # on again
    changes = back.value.json()
    assert sorted(task["id"] for task in changes["tasks"]) == sorted(changed)
    assert changes["gone"] == [] and changes["cursor"] >= newest
    full = company.owner.get("/api/admin/task-status/").json()["tasks"]
    expect(page.locator('[data-metric="in_progress"]')).to_have_text(str(counted(full)[0]["in_progress"]))
    assert shown(page) == counted(full)
    for n, task in enumerate(open_tasks):  # found on the page as it holds them now
        page.fill("#search", task["title"])
        expect(card(page, task["id"]).locator("[data-ref=pct]")).to_have_text("%d %%" % (22 + n))
        expect(page.locator("#grid .card")).to_have_count(1)  # the search names it alone
    wait_live(page)
    after = urllib.parse.parse_qs(urllib.parse.urlsplit(sockets[-1].url).query)["after"]
    assert after == [str(changes["cursor"])]  # the channel resumes past what the catch-up read
    assert [url for url in snapshots if "since=" not in url] == [snapshots[0]]  # the board once
    assert page.evaluate("performance.getEntriesByName('monitor:caught-up').length") == 1
    assert errors.errors == []


def test_updates_read_before_the_page_went_away_do_not_stand_in_for_what_changed(small, board, context):
    """A card's updates asked for before the page went away, and answered only after its
    catch-up, are older than the catch-up: the card reads them again when drawn."""
    company, people, _made = board
    worker = people[1]
    net = company.task(worker, title="Mend the net")  # the newest: among the first cards
    page = context.new_page()
    errors = PageErrors(page)
    held = []

    def hold(route):  # the first read of the net's updates: answered now, handed over later
        if held or net["id"] not in asked_ids([route.request.url]):
            return route.continue_()
        held.append((route, route.fetch()))

    page.route("**%s*" % UPDATES, hold)
    sign_in(page, small.url)
    wait_live(page)
    wait_until(lambda: page.evaluate("1") and held, WAIT_MS / 1000, "the net's updates were never asked for")
    page.fill("#search", "Survey")  # the net's card is not drawn when the page comes back
    expect(card(page, net["id"])).to_have_count(0)
    page.click(".switch")
    wait_live(page, "paused")
    for step in (1, 2):
        assert worker.post("/api/task/%d/progress/" % net["id"],
                           {"progress_percentage": step * 10, "notes": "Knot %d" % step}).ok
    page.evaluate("(ahead => { const now = Date.now; Date.now = () => now() + ahead; })(60000)")
    with page.expect_response(lambda r: "snapshot.json?since=" in r.url) as back:
        page.click(".switch")
    assert net["id"] in [task["id"] for task in back.value.json()["tasks"]]
    route, before = held[0]
    with page.expect_response(lambda r: r.url == route.request.url):
        route.fulfill(response=before)  # the answer from before the page went away, arriving now
    page.fill("#search", "")
    notes = card(page, net["id"]).locator("[data-ref=updates] li q")
    expect(notes).to_have_text(["Knot 2", "Knot 1"], timeout=WAIT_MS)
    assert errors.errors == []
