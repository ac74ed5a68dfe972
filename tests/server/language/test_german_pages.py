"""Every page in German, in Chromium (issue 28): no English word of the interface left on any page
of a company whose own data is German. An English word is one the catalog's English messages use
and its German translations never do: an untranslated message, or English written past the
catalog, shows up as one. Read: the visible text, the document's title and the words a screen
reader says (aria-label, title, placeholder, alt, the buttons' values); not what is code."""
import datetime
import re

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from support.browser import WAIT_MS, browser, new_context, sign_in  # noqa: F401  (fixtures of this module)
from support.client import Api
from support.server import USER_PASSWORD
from support.webapp import wait_ready

pytestmark = pytest.mark.browser
CATALOG = "server/locale/de/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w+\}|%[sd%]")
WORD = re.compile(r"[^\W\d_]{3,}")
# Written the same in both languages, or names: the brand, formats, the zone's English city names,
# and digests (an audit row's hash in a title: "3bad7f…" holds no English word).
KEPT = re.compile(r"(Employee )?Progress Tracker|https?://\S+|\S+@\S+|\b[A-Z][a-z]+/[A-Za-z_]+\b"
                  r"|\b[0-9a-f]{12,}\b")
TEXT = """() => {
  const said = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    const shown = el.getClientRects().length > 0 || el.tagName === "TITLE";
    if (!shown) continue;
    for (const name of ["aria-label", "title", "placeholder", "alt"]) said.push(el.getAttribute(name) || "");
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]")) said.push(el.value);
  let text = said.join("\\n");
  for (const el of document.querySelectorAll("code, kbd, samp")) text = text.split(el.innerText).join(" ");
  return text;  // less what is code: event types, CSV columns
}"""


def english_words():
    """Words of the English messages that no German translation uses."""
    with open(CATALOG, "rb") as handle:
        catalog = read_po(handle, locale="de")
    english, german = set(), set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text, into in ((" ".join(ids), english), (" ".join(strings), german)):
            into.update(w.casefold() for w in WORD.findall(PLACEHOLDER.sub(" ", text)))
    return english - german


def english_left(text, data_words):
    words = {w.casefold() for w in WORD.findall(KEPT.sub(" ", text))}
    return sorted((words & ENGLISH) - data_words)


ENGLISH = english_words()


def german_company(company):
    """A team with a lead and two members, a project, tasks in every state, progress, a comment,
    time, a submitted timesheet and an absence; every name and note in German."""
    owner = company.owner
    team = owner.post("/api/admin/teams/", {"name": "Vertrieb", "description": "Angebote und Kunden"}).json()
    project = owner.post("/api/admin/projects/", {"name": "Webseite"}).json()
    people = {}
    for role, name in (("lead", "bernd_maier"), ("member", "anna_keller"), ("member", "jonas_wolf")):
        made = owner.post("/api/admin/users/", {"username": name, "full_name": name.replace("_", " ").title(),
                                                "role": "EMPLOYEE", "password": USER_PASSWORD,
                                                "email": "%s@beispiel.de" % name})
        assert made.status_code == 201, made.text
        people[name] = Api(company.server.url).login(name, USER_PASSWORD)
        owner.request("PUT", "/api/admin/teams/%d/members/%d/" % (team["id"], made.json()["id"]),
                      json={"role": role})
    anna, jonas = people["anna_keller"], people["jonas_wolf"]
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).isoformat()
    past = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)).isoformat()
    offer = company.old_task(anna, title="Angebot schreiben", description="Für Kunde Müller",
                             due_date=soon, project_id=project["id"], estimate_minutes=150)
    fair = company.task(anna, title="Messe planen", due_date=past, priority="URGENT")
    call = company.task(jonas, title="Kunden anrufen", priority="LOW")
    owner.post("/api/admin/tasks/%d/dependencies/" % fair["id"], {"depends_on": offer["id"]})
    anna.post("/api/task/%d/progress/" % offer["id"], {"progress_percentage": 40, "notes": "Entwurf steht"})
    anna.post("/api/timer/stop/", {})
    anna.post("/api/task/%d/comments/" % offer["id"], {"body": "Bitte prüfen, @bernd_maier"})
    end = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)
    anna.post("/api/task/%d/time-entries/" % offer["id"], {
        "started_at": (end - datetime.timedelta(hours=1)).isoformat(), "ended_at": end.isoformat(),
        "note": "Entwurf"})
    jonas.post("/api/task/%d/complete/" % call["id"], {"notes": "Erledigt"})
    year, week, _ = datetime.datetime.now(datetime.timezone.utc).isocalendar()
    anna.post("/api/me/timesheets/%04d-W%02d/submit/" % (year, week))
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    jonas.post("/api/me/absences/", {"kind": "vacation", "starts_on": day, "ends_on": day, "note": "Urlaub"})
    return {"team": team, "project": project, "offer": offer, "people": people}


@pytest.fixture(scope="module")
def german(server, company):
    made = german_company(company)
    for api in [company.owner] + list(made["people"].values()):
        assert api.patch("/api/me/", {"locale": "de", "time_zone": "Europe/Berlin"}).status_code == 200
    owner = company.owner.get("/api/me/").json()
    made["data"] = {w.casefold() for w in WORD.findall(" ".join(
        [owner["username"], owner["full_name"]]))}
    yield made
    company.owner.patch("/api/me/", {"locale": None, "time_zone": None})


def pages(made):
    offer, team, project = made["offer"]["id"], made["team"]["id"], made["project"]["id"]
    return ["/dashboard/tasks/monitor/", "/dashboard/tasks/monitor/?view=table",
            "/dashboard/tasks/monitor/?group=employee", "/dashboard/tasks/assign/",
            "/dashboard/tasks/%d/" % offer, "/dashboard/tasks/statistics/", "/dashboard/users/",
            "/dashboard/users/import/", "/dashboard/teams/", "/dashboard/teams/%d/" % team,
            "/dashboard/projects/", "/dashboard/projects/%d/" % project, "/dashboard/webhooks/",
            "/dashboard/timesheets/", "/dashboard/absences/", "/security", "/dashboard/nowhere/"]


def test_the_login_page_is_german_for_a_german_browser(server, browser):  # noqa: F811
    ctx = new_context(browser, locale="de-DE")
    try:
        page = ctx.new_page()
        page.goto(server.url + "/login")
        assert page.get_attribute("html", "lang") == "de"
        assert english_left(page.evaluate(TEXT), set()) == []
    finally:
        ctx.close()


def test_every_admin_page_is_german(server, german, browser):  # noqa: F811
    ctx = new_context(browser, locale="de-DE", timezone_id="Europe/Berlin")
    try:
        page = ctx.new_page()
        sign_in(page, server.url)
        left = {}
        for path in pages(german):
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            if "monitor" in path:
                page.wait_for_selector("#grid .card, #grid tr")
            assert page.get_attribute("html", "lang") == "de", path
            found = english_left(page.evaluate(TEXT), german["data"])
            if found:
                left[path] = found
        assert left == {}, left
    finally:
        ctx.close()


def test_the_web_app_is_german(server, german, browser):  # noqa: F811
    ctx = new_context(browser, locale="en-US", timezone_id="America/New_York")  # the account decides
    try:
        page = ctx.new_page()
        sign_in(page, server.url, "anna_keller", USER_PASSWORD, next_path="/app/")
        wait_ready(page)
        assert page.get_attribute("html", "lang") == "de"
        for details in page.query_selector_all("details"):
            details.evaluate("(el) => { el.open = true; }")
        page.wait_for_function("""() => document.querySelector("#mydata-body").children.length > 0
            && document.querySelector("[data-week=state]").textContent !== ''""")  # all read
        text = page.evaluate(TEXT)
        found = english_left(text, set())
        assert found == [], [line for line in text.splitlines()
                             if set(WORD.findall(line.casefold())) & set(found)]
    finally:
        ctx.close()


def test_a_task_page_stays_german_when_older_updates_are_added(server, german, company, browser):  # noqa: F811
    """The trail's count is rewritten in the page when "Older updates" adds rows below: in the
    reader's language, as the server wrote it (it was English, written past the catalog)."""
    task = company.task(german["people"]["anna_keller"], title="Lange Geschichte")
    for i in range(100):  # 101 rows with the creation: one older than the first page
        answer = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Geschichte %d" % i})
        assert answer.status_code == 200, answer.text
    ctx = new_context(browser, locale="de-DE", timezone_id="Europe/Berlin")
    try:
        page = ctx.new_page()
        sign_in(page, server.url, next_path="/dashboard/tasks/%d/" % task["id"])
        page.click("#older-updates")
        expect(page.locator("#audit tbody tr")).to_have_count(101, timeout=WAIT_MS)
        expect(page.locator("#audit-count")).to_have_text("(101 angezeigt, neueste zuerst)")
        assert english_left(page.evaluate(TEXT), german["data"]) == []
    finally:
        ctx.close()
