"""The desktop's language and time zone (SPEC 11.4): the server's own catalogs (server/locale/*.po,
read with Babel, compiled in memory), the language picked in the app, else the OS language; dates
and times in the person's zone (the server's time_zone for them), written as the pages write them."""
import datetime
import gettext
import io
import os
import sys
import zoneinfo
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

RIGHT_TO_LEFT = ("ar",)


def catalog_folder():
    """Where the catalogs are: beside the app in a bundle, in the checkout, or in the installed
    server package; TRACKER_LOCALE_DIR overrides."""
    candidates = [os.environ.get("TRACKER_LOCALE_DIR"), getattr(sys, "_MEIPASS", None) and
                  Path(sys._MEIPASS) / "locale", Path(__file__).resolve().parents[1] / "server" / "locale"]
    for folder in candidates:
        if folder and (Path(folder) / "messages.pot").exists():
            return Path(folder)
    return None


def shipped():
    """English and every language with a catalog, by their tags (pt-BR)."""
    folder = catalog_folder()
    found = sorted(p.parent.parent.name.replace("_", "-") for p in folder.glob("*/LC_MESSAGES/messages.po")) if folder else []
    return ["en"] + found


def name_of(code):
    """A language named in its own words: Deutsch, Français, 日本語."""
    name = Locale.parse(code.replace("-", "_")).get_display_name()
    return name[:1].upper() + name[1:]


def choose(chosen, system_tags):
    """The app's own choice, else the first of the OS languages shipped (by its first subtag)."""
    codes = shipped()
    for tag in [chosen] + list(system_tags):
        tag = (tag or "").replace("_", "-")
        for code in codes:
            if tag and (tag.lower() == code.lower() or tag.split("-")[0].lower() == code.split("-")[0]):
                return code
    return "en"


def load(code):
    """gettext translations of a shipped language (English: the messages themselves)."""
    folder = catalog_folder()
    path = folder and folder / code.replace("-", "_") / "LC_MESSAGES" / "messages.po"
    if code == "en" or not path or not path.exists():
        return gettext.NullTranslations()
    with open(path, "rb") as source:
        catalog = read_po(source, locale=code.replace("-", "_"))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Language:
    """The app's one language and zone: set once at start (or when the person picks another)."""

    def __init__(self):
        self.use("en")

    def use(self, code, zone=None):
        self.code = code if code in shipped() else "en"
        self.locale = Locale.parse(self.code.replace("-", "_"))
        self.translations = load(self.code)
        self.direction = "rtl" if self.code in RIGHT_TO_LEFT else "ltr"
        self.set_zone(zone)

    def set_zone(self, zone):
        try:
            self.zone = zoneinfo.ZoneInfo(zone) if zone else None  # None: the computer's own
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone = None

    def local(self, moment):
        return moment.astimezone(self.zone) if self.zone else moment.astimezone()

    def moment(self, moment, weekday=False):
        """'Tue, Dec 9, 5:05 PM', 'Di., 9. Dez., 17:05' in the person's zone."""
        moment = self.local(moment)
        day = dates.format_skeleton("MMMEd" if weekday else "MMMd", moment, locale=self.locale)
        time = dates.format_time(moment, "short", locale=self.locale)
        pattern = self.locale.datetime_formats["medium"]
        pattern = getattr(pattern, "pattern", pattern)
        return pattern.replace("{1}", day).replace("{0}", time).replace("'", "")

    def clock(self, moment):
        return dates.format_time(self.local(moment), "short", locale=self.locale)

    def number(self, value):
        return numbers.format_decimal(value, locale=self.locale)

    def today(self):
        return self.local(datetime.datetime.now(datetime.timezone.utc)).date()


current = Language()


def _(message, **values):
    """A message in the app's language, its %(name)s placeholders filled from `values`."""
    text = current.translations.gettext(message)
    return text % values if values else text


def ngettext(singular, plural, count, **values):
    """The plural form for `count`; %(num)s is the count written for the locale."""
    values.setdefault("num", current.number(count))
    return current.translations.ngettext(singular, plural, count) % values


def N_(message):
    """Marks a message for extraction where it is written; _() says it where it is shown."""
    return message
