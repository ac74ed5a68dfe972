"""The desktop's language: the server's own catalogs, the person's pick in the app, else the OS
language; Arabic mirrors the whole app (Qt's layout direction)."""
import datetime

import pytest
from PyQt5.QtCore import Qt

from desktop_client import language, storage
from desktop_client.__main__ import apply_language
from desktop_client.sync import LIVE
from desktop_client.views.header import Header
from desktop_client.views.main_window import MainWindow
from support.desktop import WAIT, demo_employee, unclipped
from support.server import ROOT


@pytest.fixture
def english():
    yield
    language.current.use("en")


@pytest.mark.parametrize("chosen, system, expected", [
    ("ja", ["de-DE"], "ja"),  # the pick in the app first
    (None, ["de-DE", "en-US"], "de"),  # then the OS's languages, in order
    (None, ["pt-PT"], "pt-BR"),
    (None, ["zh-CN", "fr-CA"], "fr"),
    (None, ["C"], "en"),
])
def test_the_language_is_the_pick_then_the_os(chosen, system, expected):
    assert language.choose(chosen, system) == expected


def test_every_server_language_is_offered_in_its_own_words():
    assert language.shipped() == ["en", "ar", "de", "es", "fr", "ja", "pt-BR"]
    assert [language.name_of(code) for code in ("de", "ja", "ar")] == ["Deutsch", "日本語", "العربية"]


def test_words_and_dates_come_from_the_same_catalogs(english):
    language.current.use("de", "Europe/Berlin")
    assert language._("Sign out") == "Abmelden"
    moment = datetime.datetime(2025, 12, 9, 16, 5, tzinfo=datetime.timezone.utc)
    assert language.current.moment(moment) == "9. Dez., 17:05"
    language.current.use("ar")
    assert language.ngettext("Too many failed sign-ins. Try again in %(num)s minute.",
                             "Too many failed sign-ins. Try again in %(num)s minutes.", 2).endswith("دقيقتين.")


def test_arabic_mirrors_the_app_and_the_menu_offers_every_language(qapp, qtbot, app_dir, english):
    settings = storage.Settings(app_dir)
    settings.update(language="ar")
    apply_language(qapp, settings)
    try:
        assert qapp.layoutDirection() == Qt.RightToLeft
        header = Header({"username": "ann"})
        qtbot.addWidget(header)
        menu = header.menu.actions()[-1].menu()
        assert menu.title() == "اللغة"
        picked = {a.text(): a.isChecked() for a in menu.actions()}
        assert picked["العربية"] and not picked["English"] and len(picked) == 7
        with qtbot.waitSignal(header.language_requested) as chosen:
            next(a for a in menu.actions() if a.text() == "Deutsch").trigger()
        assert chosen.args == ["de"]
    finally:
        settings.update(language="en")
        apply_language(qapp, settings)
    assert qapp.layoutDirection() == Qt.LeftToRight


@pytest.fixture(scope="module")
def emma(company):
    return demo_employee(company)


@pytest.mark.parametrize("code, direction", [("de", Qt.LeftToRight), ("ar", Qt.RightToLeft)])
def test_the_window_in_german_and_arabic_nothing_clipped(qapp, qtbot, app_dir, emma, make_manager,
                                                        english, code, direction):
    """The whole window in the language (Arabic mirrored), every text given the room it needs;
    a screenshot of each for the eye (artifacts/desktop-de.png, desktop-ar.png)."""
    settings = storage.Settings(app_dir)
    settings.update(language=code, time_zone="Europe/Berlin")
    apply_language(qapp, settings)
    try:
        employee = emma
        manager = make_manager(employee)
        window = MainWindow(manager, employee.user)
        qtbot.addWidget(window)
        window.resize(820, 1000)
        window.show()
        manager.start()
        qtbot.waitUntil(lambda: manager.state == LIVE and len(window.cards) == 4, timeout=WAIT)
        assert window.layoutDirection() == direction
        card = next(iter(window.cards.values()))
        assert card.layoutDirection() == direction
        assert language._("Sign out") != "Sign out"
        assert language._("Sign out") in [a.text() for a in window.header.menu.actions()]
        qtbot.waitUntil(lambda: all(c.isVisibleTo(window) and c.height() > 100
                                    for c in window.cards.values()), timeout=WAIT)
        qtbot.waitUntil(lambda: unclipped(window) == [], timeout=WAIT)
        out = ROOT / "artifacts" / ("desktop-%s.png" % code)
        out.parent.mkdir(exist_ok=True)
        assert window.grab().save(str(out))
    finally:
        settings.update(language="en")
        apply_language(qapp, settings)



def test_a_server_sentence_is_said_in_the_apps_language(english):
    """An audit row's `words` (numbers, a name) as the server sends them, said in German."""
    from server.services.sentences.audit_rows import sentence
    words = sentence({"action": "progress", "previous_percentage": 20, "new_percentage": 50,
                      "user": {"username": "ann", "full_name": "Ann Berg"}}).words()
    language.current.use("de")
    said = language.say(words)
    assert "Ann Berg" in said and "20" in said and "50" in said and "progress" not in said


def test_today_starts_at_midnight_in_the_persons_zone(english):
    from desktop_client.timer import local_midnight
    now = datetime.datetime(2031, 5, 1, 23, 30, tzinfo=datetime.timezone.utc)
    language.current.use("en", "Pacific/Auckland")
    assert local_midnight(now).isoformat() == "2031-05-02T00:00:00+12:00"
    language.current.set_zone("America/Los_Angeles")
    assert local_midnight(now).isoformat() == "2031-05-01T00:00:00-07:00"
