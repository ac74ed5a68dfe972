"""The monitor's view in a real browser: search, chips and selects, grouping with counts, the table,
the URL holding the view across a reload, the keyboard, and events updating one row in place."""
import re
import secrets

import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, PageErrors, browser, card, context, open_monitor, wait_live  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def team(company):
    """Two people and two projects, with a word in the titles no other test uses."""
    word = "zq" + secrets.token_hex(3)
    ann, bob = company.user(name="ann_" + word), company.user(name="bob_" + word)
    rockets = company.owner.post("/api/admin/projects/", {"name": "Rockets " + word}).json()
    made = [company.task(ann, title="%s fuel pump" % word, project_id=rockets["id"], priority="URGENT"),
            company.task(ann, title="%s paint hull" % word, project_id=rockets["id"]),
            company.task(bob, title="%s order pizza" % word)]
    return {"word": word, "ann": ann, "bob": bob, "rockets": rockets, "tasks": made}


def shown_ids(page):
    return page.locator("#grid [data-id]").evaluate_all("els => els.map(e => Number(e.dataset.id))")


def group_counts(page):
    return dict(page.locator(".group-head button").evaluate_all(
        "bs => bs.map(b => [b.children[0].textContent, Number(b.children[1].textContent)])"))


def test_search_narrows_the_board_and_the_url_keeps_it_across_a_reload(server, team, context):
    page = open_monitor(context, server.url)
    errors = PageErrors(page)
    page.keyboard.press("/")  # the keyboard way into the search
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type(team["word"] + " ROCKETS")
    expect(page.locator("#grid [data-id]")).to_have_count(2, timeout=WAIT_MS)
    assert sorted(shown_ids(page)) == sorted(t["id"] for t in team["tasks"][:2])
    assert page.inner_text('[data-count="all"]') == "2"
    page.select_option("#pick-priority", "URGENT")
    expect(page.locator("#grid [data-id]")).to_have_count(1)
    assert re.search(r"\?.*q=%s\+ROCKETS.*priority=URGENT" % team["word"], page.url), page.url
    page.reload()
    expect(page.locator("#grid [data-id]")).to_have_count(1, timeout=WAIT_MS)
    assert shown_ids(page) == [team["tasks"][0]["id"]]
    assert page.input_value("#search") == team["word"] + " ROCKETS"
    assert page.input_value("#pick-priority") == "URGENT"
    page.focus("#search")
    page.keyboard.press("Escape")
    page.click("#clear-view")
    expect(page.locator("#clear-view")).to_be_hidden()
    assert page.url.endswith("/dashboard/tasks/monitor/")
    assert errors.errors == []


def test_grouped_by_employee_counts_follow_events(server, company, team, context):
    page = open_monitor(context, server.url)
    page.goto(server.url + "/dashboard/tasks/monitor/?group=employee&q=" + team["word"])
    wait_live(page)
    expect(page.locator(".group")).to_have_count(2, timeout=WAIT_MS)
    ann, bob = team["ann"].user["full_name"], team["bob"].user["full_name"]
    assert group_counts(page) == {ann: 2, bob: 1}
    extra = company.task(team["bob"], title="%s second pizza" % team["word"])
    expect(card(page, extra["id"])).to_be_visible(timeout=WAIT_MS)
    assert group_counts(page) == {ann: 2, bob: 2}
    page.click('[data-filter="IN_PROGRESS"]')
    expect(page.locator("#grid [data-id]")).to_have_count(0)
    assert group_counts(page) == {}
    team["bob"].post("/api/task/%d/progress/" % extra["id"], {"progress_percentage": 30})
    expect(card(page, extra["id"])).to_be_visible(timeout=WAIT_MS)
    assert group_counts(page) == {bob: 1}
    assert page.inner_text('[data-count="IN_PROGRESS"]') == "1"


def test_a_group_folds_from_the_keyboard(server, team, context):
    page = open_monitor(context, server.url)
    page.goto(server.url + "/dashboard/tasks/monitor/?group=project&q=" + team["word"])
    expect(page.locator(".group")).to_have_count(2, timeout=WAIT_MS)
    assert list(group_counts(page)) == [team["rockets"]["name"], "No project"]  # none last
    everything = sum(group_counts(page).values())
    toggle = page.locator(".group-head button").first
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false"
    expect(page.locator("#grid [data-id]")).to_have_count(everything - 2)  # the rockets fold away
    assert group_counts(page)[team["rockets"]["name"]] == 2  # still counted
    page.keyboard.press("Space")
    expect(page.locator("#grid [data-id]")).to_have_count(everything)


def test_the_table_updates_one_row_in_place_and_flashes_it(server, team, context):
    page = open_monitor(context, server.url)
    page.click('[data-view="table"]')
    page.fill("#search", team["word"])
    target = team["tasks"][1]
    row = page.locator("tr#task-%d" % target["id"])
    expect(row).to_be_visible(timeout=WAIT_MS)
    page.wait_for_url(lambda url: "view=table" in url and "q=" + team["word"] in url)
    expect(page.locator("#grid [data-id]")).to_have_count(len(team["tasks"]) + 1)
    wait_live(page)
    page.evaluate("""() => {
        window.__touched = new Set();
        new MutationObserver(records => {
            for (const r of records) {
                const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                window.__touched.add(node.closest('tr') ? node.closest('tr').id : node.tagName);
            }
        }).observe(document.getElementById('grid'),
                   {subtree: true, childList: true, characterData: true, attributes: true});
        document.getElementById('task-%d').dataset.probe = 'same';
    }""" % target["id"])
    team["ann"].post("/api/task/%d/progress/" % target["id"], {"progress_percentage": 65})
    expect(row.locator("td").nth(4)).to_contain_text("65 %", timeout=WAIT_MS)
    assert row.get_attribute("data-probe") == "same"
    assert row.get_attribute("data-status") == "IN_PROGRESS"
    assert page.evaluate("[...window.__touched]") == ["task-%d" % target["id"]]
    assert page.evaluate("document.getElementById('task-%d').getAnimations().length" % target["id"]) == 1


def test_bad_view_values_in_the_url_fall_back_and_stay_text(server, context):
    page = open_monitor(context, server.url)
    errors = PageErrors(page)
    page.goto(server.url + "/dashboard/tasks/monitor/?group=<b>x</b>&view=evil&status=NOPE"
              "&q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    page.wait_for_selector("#empty:not([hidden])")
    assert page.locator(".group-head").count() == 0 and page.get_attribute("#grid", "data-view") == "cards"
    assert page.input_value("#search") == "<img src=x onerror=alert(1)>"
    assert page.get_attribute('[data-filter="all"]', "aria-pressed") == "true"
    assert errors.errors == [] and errors.dialogs == []


def figures(page):
    """Every figure the page shows: metrics, chip counts, group counts, the ids drawn in order."""
    return page.evaluate("""() => ({
        metrics: Object.fromEntries([...document.querySelectorAll('[data-metric]')]
                                    .map(e => [e.dataset.metric, e.textContent])),
        counts: Object.fromEntries([...document.querySelectorAll('[data-count]')]
                                   .map(e => [e.dataset.count, e.textContent])),
        groups: [...document.querySelectorAll('.group-head button')]
                .map(b => [b.children[0].textContent, b.children[1].textContent]),
        ids: [...document.querySelectorAll('#grid [data-id]')].map(e => Number(e.dataset.id))})""")


def test_events_move_tasks_between_groups_as_a_reload_would_show_them(server, company, context):
    """An event recounts only the task it changed: the figures it leaves must be the ones a fresh
    count of every task gives, through a reassignment, a group emptied and one made."""
    word = "zg" + secrets.token_hex(3)
    ann, bob = company.user(name="ann_" + word), company.user(name="bob_" + word)
    made = [company.task(ann, title="%s one" % word), company.task(ann, title="%s two" % word),
            company.task(bob, title="%s three" % word)]
    page = open_monitor(context, server.url)
    page.goto(server.url + "/dashboard/tasks/monitor/?group=employee&q=" + word)
    wait_live(page)
    expect(page.locator(".group")).to_have_count(2, timeout=WAIT_MS)
    names = ann.user["full_name"], bob.user["full_name"]
    # bob's only task goes to ann: bob's group empties and goes away
    company.owner.patch("/api/admin/tasks/%d/" % made[2]["id"], {"assignee_id": ann.user["id"]})
    expect(page.locator(".group")).to_have_count(1, timeout=WAIT_MS)
    assert group_counts(page) == {names[0]: 3}
    # the oldest comes back to bob, in progress: a new group, under the In progress chip too
    company.owner.patch("/api/admin/tasks/%d/" % made[0]["id"], {"assignee_id": bob.user["id"]})
    expect(page.locator(".group")).to_have_count(2, timeout=WAIT_MS)
    bob.post("/api/task/%d/progress/" % made[0]["id"], {"progress_percentage": 40})
    expect(page.locator('[data-count="IN_PROGRESS"]')).to_have_text("1", timeout=WAIT_MS)
    later = company.task(bob, title="%s four" % word)
    expect(card(page, later["id"])).to_be_visible(timeout=WAIT_MS)
    assert group_counts(page) == {names[0]: 2, names[1]: 2}
    assert shown_ids(page) == [made[2]["id"], made[1]["id"], later["id"], made[0]["id"]]
    live = figures(page)
    page.reload()
    expect(page.locator(".group")).to_have_count(2, timeout=WAIT_MS)
    expect(page.locator("#grid [data-id]")).to_have_count(4)  # groups near the screen fill a frame later
    assert figures(page) == live
