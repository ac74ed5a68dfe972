"""Languages over HTTP (SPEC 11.4): the person's choice, else Accept-Language, else default_locale;
<html lang dir> on every page; the API's messages in the reader's language under the same codes;
the browser's catalogs made from the same .po files, cached by version."""
import re

import requests

from support.browser import form_session
from support.server import OWNER_PASSWORD


def html_tag(text):
    return re.search(r"<html[^>]*>", text).group(0)


def test_the_browser_language_decides_when_nobody_chose(server):
    german = requests.get(server.url + "/login", headers={"Accept-Language": "de-AT,de;q=0.9"})
    assert 'lang="de" dir="ltr"' in html_tag(german.text)
    assert "<title>Anmelden · Progress Tracker</title>" in german.text
    arabic = requests.get(server.url + "/login", headers={"Accept-Language": "ar-EG"})
    assert 'lang="ar" dir="rtl"' in html_tag(arabic.text)
    english = requests.get(server.url + "/login", headers={"Accept-Language": "zh-CN"})
    assert 'lang="en" dir="ltr"' in html_tag(english.text) and ">Sign in<" in english.text


def test_a_visitor_picks_a_language_on_the_login_page(server):
    http = requests.Session()
    http.headers["Accept-Language"] = "de"
    http.get(server.url + "/login")
    answer = http.post(server.url + "/language", data={"locale": "ja", "next": "/login",
                                                       "_xsrf": http.cookies["_xsrf"]})
    assert answer.status_code == 200 and answer.url == server.url + "/login"
    assert 'lang="ja"' in html_tag(answer.text) and "サインイン" in answer.text


def test_the_language_picker_refuses_a_stranger_destination(server):
    http = requests.Session()
    http.get(server.url + "/login")
    answer = http.post(server.url + "/language", allow_redirects=False,
                       data={"locale": "fr", "next": "//evil.example/", "_xsrf": http.cookies["_xsrf"]})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_a_signed_in_person_keeps_the_language_on_their_account(server, company):
    http = form_session(server.url)
    answer = http.post(server.url + "/language", data={"locale": "fr", "next": "/dashboard/users/",
                                                       "_xsrf": http.cookies["_xsrf"]})
    assert 'lang="fr"' in html_tag(answer.text) and ">Personnes<" in answer.text
    assert company.owner.get("/api/me/").json()["locale"] == "fr"
    elsewhere = form_session(server.url)  # another browser: the account's choice follows
    assert 'lang="fr"' in html_tag(elsewhere.get(server.url + "/dashboard/users/").text)
    company.owner.patch("/api/me/", {"locale": None})
    assert 'lang="en"' in html_tag(elsewhere.get(server.url + "/dashboard/users/").text)


def test_the_same_validation_error_has_the_same_code_and_a_german_message(server, company):
    employee = company.user()
    task = company.task(employee)
    path = "/api/task/%d/progress/" % task["id"]
    english = employee.post(path, {"progress_percentage": 150}).json()["error"]
    assert english == {"code": "validation_error", "field": "progress_percentage",
                       "message": "progress_percentage must be an integer from 0 to 100"}
    assert employee.patch("/api/me/", {"locale": "de"}).status_code == 200
    german = employee.post(path, {"progress_percentage": 150}).json()["error"]
    assert german == {"code": "validation_error", "field": "progress_percentage",
                      "message": "progress_percentage muss eine ganze Zahl von 0 bis 100 sein"}
    # Without a choice, the request's Accept-Language decides.
    employee.patch("/api/me/", {"locale": None})
    french = employee.post(path, {"progress_percentage": 150}, headers={"Accept-Language": "fr"})
    assert french.json()["error"]["message"] == "progress_percentage doit être un entier de 0 à 100"


def test_an_unknown_language_or_zone_is_refused_in_the_readers_language(company):
    employee = company.user()
    answer = employee.patch("/api/me/", {"time_zone": "Mars/Olympus"}, headers={"Accept-Language": "es"})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "time_zone"
    assert answer.json()["error"]["code"] == "validation_error"


def test_the_browsers_catalog_is_made_from_the_po_and_cached_by_version(server):
    page = requests.get(server.url + "/login", headers={"Accept-Language": "de"}).text
    url = re.search(r'data-catalog="([^"]+)"', page).group(1)
    answer = requests.get(server.url + url)
    assert answer.status_code == 200 and "immutable" in answer.headers["Cache-Control"]
    body = answer.json()
    assert body["locale"] == "de" and body["plural"] == {"one": 0, "other": 1}
    assert body["messages"]["{minutes} min"] == "{minutes} Min."
    assert "Wrong username or password." not in body["messages"]  # the server's words stay there
    again = requests.get(server.url + url, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    stale = requests.get(server.url + "/i18n/de.json?v=old")
    assert stale.headers["Cache-Control"] == "no-cache" and stale.json() == body
    assert requests.get(server.url + "/i18n/xx.json").status_code == 404
    assert 'data-catalog=""' in requests.get(server.url + "/login").text  # English: none


def test_arabic_plural_categories_reach_the_browser(server):
    body = requests.get(server.url + "/i18n/ar.json").json()
    assert body["plural"] == {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 4, "other": 5}


def test_the_owner_signs_in_in_german(server):
    http = requests.Session()
    http.headers["Accept-Language"] = "de"
    http.get(server.url + "/login")
    answer = http.post(server.url + "/login", data={"username": "root", "password": "wrong",
                                                    "_xsrf": http.cookies["_xsrf"]})
    assert answer.status_code == 401 and "Falscher Benutzername oder falsches Passwort." in answer.text
    assert OWNER_PASSWORD != "wrong"
