"""A team's country and region (whose public holidays its people have off) through the API and
the Teams page: spelled as the holidays library spells them, logged readably; a country or region
the library does not know, or a region without a country, is a 400 naming the field, and nothing
is written."""
import re
import sqlite3
import uuid

from support.browser import form_session


def log_rows(server):
    with sqlite3.connect(server.db_path) as conn:
        return conn.execute("SELECT team_id, action, notes FROM team_log ORDER BY id").fetchall()


def new_name(word):
    return "%s %s" % (word, uuid.uuid4().hex[:6])


def test_a_team_takes_a_country_and_region_and_changes_them(server, company):
    owner = company.owner
    made = owner.post("/api/admin/teams/", {"name": new_name("Munich"), "country": "de", "region": "by"})
    assert made.status_code == 201, made.text
    team = made.json()
    assert (team["country"], team["region"]) == ("DE", "BY")
    path = "/api/admin/teams/%d/" % team["id"]
    assert owner.patch(path, {"region": "Bayern"}).json()["region"] == "BY"  # the library's alias
    moved = owner.patch(path, {"country": "FR"}).json()  # a region belongs to its country
    assert (moved["country"], moved["region"]) == ("FR", None)
    cleared = owner.patch(path, {"country": None}).json()
    assert (cleared["country"], cleared["region"]) == (None, None)
    notes = [row[2] for row in log_rows(server) if row[0] == team["id"]]
    assert notes == ["Team %s created; public holidays: DE, region BY" % team["name"],
                     "Public holidays: FR",
                     "Public holidays: the company's (no country of its own)"]
    plain = owner.post("/api/admin/teams/", {"name": new_name("Plain")}).json()
    assert (plain["country"], plain["region"]) == (None, None)


def test_unknown_places_and_a_region_alone_are_refused_and_write_nothing(server, company):
    owner = company.owner
    team = owner.post("/api/admin/teams/", {"name": new_name("Bare")}).json()
    path = "/api/admin/teams/%d/" % team["id"]
    teams_before, log_before = owner.get("/api/admin/teams/").json(), log_rows(server)
    new = {"name": new_name("Nowhere")}
    posts = [(dict(new, country="XX"), "country"), (dict(new, country="DE", region="ZZ"), "region"),
             (dict(new, region="BY"), "region"), (dict(new, country=5), "country"),
             (dict(new, country="D" * 9), "country"), (dict(new, country="DE", region=["BY"]), "region")]
    for body, field in posts:
        refused = owner.post("/api/admin/teams/", body)
        assert refused.status_code == 400 and refused.json()["error"]["field"] == field, body
    patches = [({"country": "XX"}, "country"), ({"region": "BY"}, "region"),
               ({"country": "DE", "region": "ZZ"}, "region"), ({"country": None, "region": "BY"}, "region")]
    for body, field in patches:
        refused = owner.patch(path, body)
        assert refused.status_code == 400 and refused.json()["error"]["field"] == field, body
    assert "ZZ" in owner.post("/api/admin/teams/", posts[1][0]).json()["error"]["message"]
    assert owner.get("/api/admin/teams/").json() == teams_before
    assert log_rows(server) == log_before


def test_the_teams_page_shows_the_place_and_refusals_beside_their_field(server, company):
    session = form_session(server.url)
    url = server.url + "/dashboard/teams/"
    name = new_name("Page")
    refused = session.post(url, data={"_xsrf": session.cookies["_xsrf"], "name": name,
                                      "country": "XX", "region": ""})
    assert refused.status_code == 400
    assert re.search(r'id="t-country"[^>]*aria-invalid="true"', refused.text.replace("\n", " "))
    assert 'id="t-country-error">country XX is not one' in refused.text
    assert 'value="%s"' % name in refused.text  # what was typed stays
    made = session.post(url, data={"_xsrf": session.cookies["_xsrf"], "name": name,
                                   "country": "DE", "region": "BY"})
    assert made.status_code == 200 and "Public holidays: DE, region BY" in made.text
    team = [t for t in company.owner.get("/api/admin/teams/").json()["teams"] if t["name"] == name][0]
    edit = url + "%d/" % team["id"]
    bad = session.post(edit, data={"_xsrf": session.cookies["_xsrf"], "name": name,
                                   "description": "", "country": "DE", "region": "ZZ"})
    assert bad.status_code == 400
    assert 'id="place-%d-region-error">region ZZ is not a region of DE' % team["id"] in bad.text
    assert 'value="ZZ"' in bad.text
    alone = session.post(edit, data={"_xsrf": session.cookies["_xsrf"], "name": name,
                                     "description": "", "country": "", "region": "BY"})
    assert alone.status_code == 400 and 'id="place-%d-region-error"' % team["id"] in alone.text
    assert company.owner.get("/api/admin/teams/%d/" % team["id"]).json()["region"] == "BY"


def test_a_german_reader_is_refused_in_german_with_the_same_code_and_field(server, company):
    owner = company.owner
    english = owner.post("/api/admin/teams/", {"name": new_name("Sprache"), "country": "DE",
                                               "region": "ZZ"}).json()["error"]
    assert owner.patch("/api/me/", {"locale": "de"}).status_code == 200
    try:
        german = owner.post("/api/admin/teams/", {"name": new_name("Sprache"), "country": "DE",
                                                  "region": "ZZ"}).json()["error"]
        alone = owner.post("/api/admin/teams/", {"name": new_name("Sprache"), "region": "BY"}).json()["error"]
    finally:
        owner.patch("/api/me/", {"locale": None})
    assert (german["code"], german["field"]) == (english["code"], english["field"]) == ("validation_error", "region")
    assert english["message"].startswith("region ZZ is not a region of DE: use one of ")
    assert german["message"].startswith("ZZ ist keine Region von DE: verwenden Sie eine dieser: ")
    assert alone["message"] == "die Region BY braucht ein Land: geben Sie auch das Land an (z. B. DE mit BY)"
    session = form_session(server.url)
    session.headers["Accept-Language"] = "de"
    page = session.get(server.url + "/dashboard/teams/").text
    assert "Land der Feiertage (optional)" in page and "Country of its public holidays" not in page
