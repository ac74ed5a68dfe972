"""The language services without HTTP: which language is chosen, a Text said again in another
language, and dates, times, numbers and durations for a locale in a zone."""
import datetime
import pickle

import pytest

from server.services.language import formats
from server.services.language.choose import accepted, choose
from server.services.language.reader import Reader
from server.services.language.text import Text, _l, _ln

MOMENT = datetime.datetime(2025, 12, 9, 16, 5)  # naive: UTC, as stored


@pytest.mark.parametrize("chosen, header, default, expected", [
    ("de", "fr-FR,fr;q=0.9", "en", "de"),  # the person's choice first
    (None, "fr-CH, fr;q=0.9, en;q=0.8", "en", "fr"),  # then the browser, by its first subtag
    (None, "pt-PT,pt;q=0.9", "en", "pt-BR"),  # the one Portuguese shipped
    (None, "zh-CN,zh;q=0.9,ja;q=0.5", "en", "ja"),  # a language not shipped is passed over
    (None, "en;q=0.1, ar;q=0.8", "de", "ar"),  # by quality, not order
    (None, "de;q=0, *", "es", "es"),  # q=0 means "not this one"; * means "anything": the default
    (None, None, "ja", "ja"),
    ("xx", "garbage;q=x", "nonsense", "en"),
])
def test_the_language_is_the_choice_then_the_browser_then_the_default(chosen, header, default, expected):
    assert choose(chosen, header, default) == expected


def test_accept_language_is_read_in_order_of_quality():
    assert accepted("da, en-gb;q=0.8, en;q=0.7") == ["da", "en-gb", "en"]


def test_a_text_is_english_and_is_said_again_in_german():
    text = _l("%(field)s must be an integer from %(low)d to %(high)d", field="progress", low=0, high=100)
    assert text == "progress must be an integer from 0 to 100"  # what logs and English readers get
    assert Reader("de").say(text) == "progress muss eine ganze Zahl von 0 bis 100 sein"
    assert Reader("de").say("plain text stays") == "plain text stays"
    assert pickle.loads(pickle.dumps(text)).msgid == text.msgid


def test_a_plural_text_takes_the_languages_form():
    minutes = [_ln("Too many failed sign-ins. Try again in %(num)s minute.",
                   "Too many failed sign-ins. Try again in %(num)s minutes.", n, num=n) for n in (1, 2, 5)]
    assert minutes[0] == "Too many failed sign-ins. Try again in 1 minute."
    arabic = [Reader("ar").say(text) for text in minutes]
    assert "دقيقة واحدة" in arabic[0] and "دقيقتين" in arabic[1] and "5 دقائق" in arabic[2]
    assert Reader("ja").say(minutes[2]).count("5分") == 1


def test_ngettext_writes_the_count_for_the_locale():
    text = Reader("de").ngettext("Too many failed sign-ins. Try again in %(num)s minute.",
                                 "Too many failed sign-ins. Try again in %(num)s minutes.", 1500)
    assert "1500 Minuten" in text  # a count in a sentence: ungrouped, as the browser writes it


@pytest.mark.parametrize("code, zone, expected", [
    ("en", "UTC", "Dec 9, 2025, 4:05\u202fPM"),
    ("de", "Europe/Berlin", "9. Dez. 2025, 17:05"),
    ("ja", "Asia/Tokyo", "2025年12月10日 1:05"),
    ("fr", "Pacific/Auckland", "10 déc. 2025, 05:05"),
])
def test_a_moment_is_written_in_the_readers_language_and_zone(code, zone, expected):
    assert Reader(code, zone).moment(MOMENT).replace("\u00a0", " ") == expected.replace("\u00a0", " ")


def test_the_calendar_day_of_a_moment_follows_the_zone():
    due = datetime.datetime(2030, 3, 5, 20, 0, tzinfo=datetime.timezone.utc)
    assert Reader("en", "Pacific/Auckland").local_date(due) == datetime.date(2030, 3, 6)
    assert Reader("en", "America/Los_Angeles").local_date(due) == datetime.date(2030, 3, 5)


def test_numbers_and_durations_are_written_for_the_locale():
    assert Reader("de").number(1234.5) == "1.234,5"
    assert Reader("fr").number(1234.5).replace("\u202f", " ") == "1 234,5"
    assert Reader("de").minutes(125) == "2 Std. 05 Min."
    assert Reader("ja").minutes(120) == "2時間"
    assert Reader("en").minutes(35) == "35 min"


@pytest.mark.parametrize("typed, value", [("1.5", 1.5), ("1,5", 1.5), ("١٫٥", 1.5), (" 2 ", 2.0)])
def test_a_decimal_is_read_with_a_point_or_the_locales_comma(typed, value):
    assert formats.decimal(typed) == value


def test_an_unknown_language_or_zone_falls_back():
    reader = Reader("xx", "Mars/Olympus")
    assert (reader.code, reader.zone_name, str(reader.zone), reader.direction) == (
        "en", "Mars/Olympus", "UTC", "ltr")
    assert Reader("ar").direction == "rtl"


def test_text_subclasses_str_for_every_caller():
    assert isinstance(_l("x"), str) and isinstance(Text("a %(b)s", values={"b": 1}), str)
