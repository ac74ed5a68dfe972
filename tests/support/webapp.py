"""Helpers for the employee web app tests: sign in, wait for the app, read its outbox and audit."""
import re
import time

from playwright.sync_api import expect

from support.browser import WAIT_MS
from support.push import long_poll
from support.server import USER_PASSWORD

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}


def open_app(context, base_url, api):
    """A page signed in through /login as the user behind `api`, on /app/ with its list shown."""
    page = context.new_page()
    page.goto(base_url + "/login")
    page.fill("#username", api.user["username"])
    page.fill("#password", USER_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base_url) + "/app/$"))
    wait_ready(page)
    return page


def wait_ready(page):
    page.wait_for_selector("#loading", state="hidden", timeout=WAIT_MS)


def wait_worker(page):
    """Until the service worker controls the page (from then on, it serves the shell offline)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WAIT_MS)


def offline_page(context, srv, employee):
    """An app page under its service worker, with the server stopped under it."""
    page = open_app(context, srv.url, employee)
    wait_worker(page)
    srv.stop()
    return page


def task_card(page, task_id):
    return page.locator('[data-task-id="%d"]' % task_id)


def unsent(page):
    return int(page.get_attribute("#unsent", "data-count"))


def wait_unsent(page, count, timeout=45000):
    page.wait_for_selector('#unsent[data-count="%d"]' % count, state="attached", timeout=timeout)


def wait_sent(page, count, timeout=WAIT_MS):
    """Until this page has delivered `count` entries of the outbox itself."""
    page.wait_for_selector('#app[data-sent="%d"]' % count, state="attached", timeout=timeout)


def report(page, task_id, percent, note=None):
    """Type a progress value (and note) into a card and press its Update button."""
    card = task_card(page, task_id)
    card.locator('input[type="number"]').fill(str(percent))
    if note is not None:
        card.get_by_label("Note").fill(note)
    card.get_by_role("button", name=re.compile("^Update")).click()


def outbox_size(page):
    """Entries in the page's IndexedDB outbox, read by the page itself."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const request = indexedDB.open("tracker-app");
        request.onsuccess = () => {
            const count = request.result.transaction("outbox").objectStore("outbox").count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
        };
        request.onerror = () => reject(request.error);
    })""")


def outbox_entries(page):
    """The entries of the page's IndexedDB outbox, oldest first, read by the page itself."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const request = indexedDB.open("tracker-app");
        request.onsuccess = () => {
            const all = request.result.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => resolve(all.result);
            all.onerror = () => reject(all.error);
        };
        request.onerror = () => reject(request.error);
    })""")


def audit_rows(owner, task_id, client_update_id=None):
    """The task's audit rows as the owner reads them (newest first), optionally one client id's."""
    answer = owner.get("/api/task/%d/history/" % task_id)
    assert answer.status_code == 200, answer.text
    rows = answer.json()["updates"]
    if client_update_id is not None:
        rows = [row for row in rows if row["client_update_id"] == client_update_id]
    return rows


def web_rows(owner, task_id):
    """Audit rows this app wrote (its client ids start with "web-")."""
    return [row for row in audit_rows(owner, task_id)
            if (row["client_update_id"] or "").startswith("web-")]


def wait_occupancy(owner, user_id, status, after, timeout=30):
    """Long-poll the push channel as the owner until `user_id` is announced in `status`."""
    deadline = time.monotonic() + timeout
    cursor = after
    while time.monotonic() < deadline:
        body = long_poll(owner, cursor, timeout=10)
        cursor = body.get("cursor", cursor)
        for event in body.get("events", []):
            person = event.get("employee") or {}
            if (event["type"] == "occupancy.changed" and person.get("id") == user_id
                    and person.get("occupancy_status") == status):
                return event
    raise AssertionError("user %d was never announced %s" % (user_id, status))


def meta_value(page, key):
    """One value of the app's IndexedDB "meta" store (None when absent), read in the page."""
    return page.evaluate("""(key) => new Promise((resolve, reject) => {
        const request = indexedDB.open("tracker-app");
        request.onsuccess = () => {
            const read = request.result.transaction("meta").objectStore("meta").get(key);
            read.onsuccess = () => resolve(read.result === undefined ? null : read.result);
            read.onerror = () => reject(read.error);
        };
        request.onerror = () => reject(request.error);
    })""", key)


def open_thread(page, task_id):
    """Open a card's comment thread and wait until the server's comments are in it."""
    card = task_card(page, task_id)
    card.locator('[data-ref="thread-toggle"]').click()
    card.locator('[data-ref="thread"]').wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_selector('[data-task-id="%d"] .comments > li' % task_id, timeout=WAIT_MS)
    return card.locator('[data-ref="thread"]')


def write_comment(page, task_id, text):
    """Type a comment into an open thread and press Post comment (the page empties the field at
    once when it takes the comment; a refused one stays)."""
    card = task_card(page, task_id)
    card.get_by_label("Add a comment").fill(text)
    card.get_by_role("button", name="Post comment").click()


def comments_of(api, task_id):
    answer = api.get("/api/task/%d/comments/" % task_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["comments"]


def comment_rows(owner, task_id):
    """The task's audit rows about comments, oldest first: (action, user id)."""
    return [(row["action"], row["user"]["id"]) for row in reversed(owner.history(task_id))
            if row["action"].startswith("comment")]


def delivered_comments(page, task_id):
    """The bodies of the comments in a card's thread that the server has (not the unsent ones)."""
    return task_card(page, task_id).locator(".comment[data-comment-id] .comment-body")


def my_entries(api):
    """The user's time entries of the last seven days, oldest first, and the running one."""
    answer = api.get("/api/me/time-entries/")
    assert answer.status_code == 200, answer.text
    return answer.json()


def timer_button(page, task_id):
    return task_card(page, task_id).locator('[data-ref="timer"]')


def start_timer(page, task_id, title):
    """Press a card's Start timer and wait until the server has the start (the outbox is empty
    again after the render that showed the running timer: whichever tab or the worker sent it)."""
    timer_button(page, task_id).click()
    expect(page.locator("#timer-title")).to_have_text(title)
    wait_unsent(page, 0)


def until(page, check, what, timeout=30):
    """Poll `check()` (a server read) until it is truthy, letting the page run meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "never happened: " + what
        page.wait_for_timeout(100)


def time_rows(owner, task_id):
    """The task's audit rows about time entries, oldest first: their notes."""
    return [row["notes"] for row in reversed(owner.history(task_id)) if row["action"] == "time_entry"]


def events_until(owner, after, last, timeout=30):
    """Push events after `after` up to the first one `last(event)` is true for."""
    deadline, cursor, seen = time.monotonic() + timeout, after, []
    while time.monotonic() < deadline:
        body = long_poll(owner, cursor, timeout=5)
        cursor = body.get("cursor", cursor)
        for event in body.get("events", []):
            seen.append(event)
            if last(event):
                return seen
    raise AssertionError("the awaited event never came")


IDLE_AFTER_S = 5  # the page's idle time in the tests that wait for it for real (a slow machine
# needs some seconds between the start and the last input)


def short_idle(ctx, seconds=IDLE_AFTER_S):
    """The context's pages turn IDLE after `seconds` without input (set before their scripts)."""
    ctx.add_init_script("globalThis.TRACKER_IDLE_AFTER_MS = %d" % (seconds * 1000))
    return ctx


def heartbeat_of(status):
    """A predicate for Playwright's expect_request: a heartbeat reporting `status`."""
    return lambda request: (request.url.endswith("/api/heartbeat/")
                            and '"%s"' % status in (request.post_data or ""))
