"""The app's one language and zone, and dates and times written in them as the pages write them
(CLDR's patterns through Babel)."""
import datetime
import zoneinfo

from babel import Locale, dates, numbers

from .catalogs import load, shipped

RIGHT_TO_LEFT = ("ar",)


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

    def moment(self, moment, weekday=False, year=False):
        """'Tue, Dec 9, 5:05 PM', 'Di., 9. Dez., 17:05' in the person's zone (with the year when
        asked)."""
        moment = self.local(moment)
        skeleton = ("y" if year else "") + ("MMMEd" if weekday else "MMMd")
        day = dates.format_skeleton(skeleton, moment, locale=self.locale)
        time = dates.format_time(moment, "short", locale=self.locale)
        pattern = self.locale.datetime_formats["medium"]
        pattern = getattr(pattern, "pattern", pattern)
        return pattern.replace("{1}", day).replace("{0}", time).replace("'", "")

    def clock(self, moment):
        return dates.format_time(self.local(moment), "short", locale=self.locale)

    def count(self, value):
        return numbers.format_decimal(value, format="0", locale=self.locale)

    def percent(self, ratio):
        """0.42 → '42 %', '42 %' or '٤٢٪' as the language writes a share."""
        return numbers.format_percent(ratio, locale=self.locale)

    def number(self, value):
        return numbers.format_decimal(value, locale=self.locale)

    def today(self):
        return self.local(datetime.datetime.now(datetime.timezone.utc)).date()
