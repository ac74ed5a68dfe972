"""Reader: the person an answer is written for, their language and time zone in one object that
pages, API errors and mails ask for words, dates and numbers."""
import functools
import zoneinfo

from babel import Locale

from server.services.language import catalogs, formats
from server.services.language.text import say

DEFAULT_ZONE = "UTC"


@functools.lru_cache(maxsize=256)
def zone_of(name):
    """The ZoneInfo of an IANA name; UTC for an unknown one (validated where it is set)."""
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_ZONE)


class Reader:
    """One language (a tag of catalogs.LOCALES) and one time zone (IANA)."""

    def __init__(self, code="en", zone=DEFAULT_ZONE):
        self.code = code if code in catalogs.LOCALES else "en"
        self.zone_name = zone or DEFAULT_ZONE
        self.zone = zone_of(self.zone_name)
        self.locale = Locale.parse(catalogs.gettext_name(self.code))
        self.direction = "rtl" if self.code in catalogs.RIGHT_TO_LEFT else "ltr"
        self.translations = catalogs.translations(self.code)

    @classmethod
    def of(cls, user, settings):
        """A user's reader: their own choices, else the settings' defaults."""
        return cls(getattr(user, "locale", None) or settings["default_locale"],
                   getattr(user, "time_zone", None) or settings["default_time_zone"])

    def gettext(self, msgid, **values):
        """The message in this language, its %(name)s placeholders filled from `values`."""
        text = self.translations.gettext(msgid)
        return text % values if values else text

    def ngettext(self, singular, plural, count, **values):
        """The plural form for `count`; %(num)s is the count in the locale's digits, ungrouped
        ("2000 tasks", as the scripts' tn() writes it)."""
        values.setdefault("num", formats.count(count, self.locale))
        return self.translations.ngettext(singular, plural, count) % values

    def say(self, value):
        """A Text (services/language/text.py) in this language; other values as they are. An
        English reader gets the English the Text was made with."""
        return value if self.code == "en" else say(value, self.translations, self.locale)

    # Dates, times and numbers for this locale, in this zone (formats.py).
    def moment(self, value, year=True):
        return formats.moment(value, self.locale, self.zone, year) if value else ""

    def long_moment(self, value):
        """'Tue, 1 Dec 2026, 14:00': with the weekday, for mails and calendar text."""
        return formats.moment(value, self.locale, self.zone, year=True, weekday=True) if value else ""

    def day(self, value):
        return formats.day(value, self.locale, self.zone) if value else ""

    def long_day(self, value):
        return formats.long_day(value, self.locale) if value else ""

    def clock(self, value):
        return formats.clock(value, self.locale, self.zone) if value else ""

    def number(self, value, digits=None):
        return formats.number(value, self.locale, digits)

    def percent(self, value):
        return formats.percent(value, self.locale)

    def minutes(self, minutes):
        """A duration in words of this language: '2 h 05 min', '35 min'."""
        hours, rest = divmod(max(0, int(minutes or 0)), 60)
        if not hours:
            return self.gettext("%(minutes)d min", minutes=rest)
        if not rest:
            return self.gettext("%(hours)d h", hours=hours)
        return self.gettext("%(hours)d h %(minutes)02d min", hours=hours, minutes=rest)

    def hours_minutes(self, minutes):
        """A duration always in hours and minutes: '0 h 00 min', '1 h 30 min'."""
        hours, rest = divmod(max(0, int(minutes or 0)), 60)
        return self.gettext("%(hours)d h %(minutes)02d min", hours=hours, minutes=rest)

    def local_input(self, value):
        """A moment as <input type="datetime-local"> takes it, in this zone: 2031-05-04T16:30."""
        return formats.aware(value).astimezone(self.zone).strftime("%Y-%m-%dT%H:%M") if value else ""

    def local_date(self, value):
        """The calendar date a moment falls on in this zone."""
        return formats.aware(value).astimezone(self.zone).date()
