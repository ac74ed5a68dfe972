"""Dates, times, numbers and durations written for a locale and a time zone (Babel, CLDR), the
same shapes the browser's Intl and the desktop use: "9 Dec, 17:05", "9. Dez., 17:05"."""
import datetime
import re

from babel import dates, numbers

UTC = datetime.timezone.utc
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


def aware(value):
    """A datetime (naive means UTC, as stored) or ISO 8601 text as an aware datetime; None if empty."""
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime.datetime):  # a date: its midnight, in UTC
        value = datetime.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _joined(locale, date_text, time_text):
    pattern = locale.datetime_formats["medium"]
    pattern = getattr(pattern, "pattern", pattern)
    return pattern.replace("{1}", date_text).replace("{0}", time_text).replace("'", "")


def moment(value, locale, zone, year=True, weekday=False):
    """'9 Dec 2025, 17:05' in the zone (without the year: `year` False; 'Tue, 9 Dec 2025, 17:05'
    with `weekday`)."""
    value = aware(value).astimezone(zone)
    skeleton = ("y" if year else "") + ("MMMEd" if weekday else "MMMd")
    day_text = dates.format_skeleton(skeleton, value, locale=locale)
    return _joined(locale, day_text, dates.format_time(value, "short", locale=locale))


def day(value, locale, zone=None):
    """'9 Dec' of a moment in the zone, or of a calendar date."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return dates.format_skeleton("MMMd", value, locale=locale)
    return dates.format_skeleton("MMMd", aware(value).astimezone(zone or UTC), locale=locale)


def long_day(value, locale):
    """'Tue, 9 Dec 2025' of a calendar date (or its ISO text, 2025-12-09)."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return dates.format_skeleton("yMMMEd", value, locale=locale)


def clock(value, locale, zone):
    """'17:05' (or '5:05 PM') in the zone."""
    return dates.format_time(aware(value).astimezone(zone), "short", locale=locale)


def number(value, locale, digits=None):
    """1234.5 -> '1,234.5', '1.234,5', '1 234,5'; `digits` fixes the decimals."""
    if digits is not None:
        return numbers.format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0",
                                      locale=locale)
    return numbers.format_decimal(value, locale=locale)


def count(value, locale):
    """An integer in the locale's digits, without grouping: a count in a sentence."""
    return numbers.format_decimal(value, format="0", locale=locale)


def percent(value, locale):
    """62 -> '62 %', '62%', '62 %' (CLDR puts the sign and the space per language)."""
    return numbers.format_percent(value / 100, locale=locale)


def decimal(text):
    """A number as typed in any of the languages: '1.5', '1,5', '١٫٥' -> 1.5; ValueError if none."""
    text = text.strip().translate(_ARABIC_DIGITS)
    if "," in text and "." not in text and re.fullmatch(r"-?\d*,\d+", text):
        text = text.replace(",", ".")
    return float(text)
