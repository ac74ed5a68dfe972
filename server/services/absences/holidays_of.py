"""Public holidays from the `holidays` library, for a place (country, region).

Where people work: today one company-wide place (settings `holiday_country` / `holiday_region`,
given to `configure` by make_app). The teams feature gives each team its `country` / `region`;
`place_of(user_id)` is the one seam it changes (a member works where their team is)."""
import functools

import holidays

_default = {"place": (None, None)}


def configure(country, region):
    """The company's place; refuses one the library does not know (a typo must not pass silently)."""
    country, region = (country or "").strip().upper() or None, (region or "").strip().upper() or None
    if country is not None:
        try:
            holidays.country_holidays(country, subdiv=region)
        except NotImplementedError as exc:  # stop the start with the setting's name
            raise ValueError("holiday_country / holiday_region (TRACKER_HOLIDAY_COUNTRY, "
                             "TRACKER_HOLIDAY_REGION): %s" % exc) from None
    _default["place"] = (country, region)


def place_of(user_id):
    """(country, region) whose holidays the person has off."""
    return _default["place"]


@functools.lru_cache(maxsize=64)
def _year(country, region, year):
    if country is None:
        return {}
    return dict(holidays.country_holidays(country, subdiv=region, years=[year]))


def holidays_between(place, first, last):
    """{date: name} of the place's public holidays from `first` to `last` (dates, inclusive)."""
    country, region = place
    found = {}
    for year in range(first.year, last.year + 1):
        found.update({day: name for day, name in _year(country, region, year).items()
                      if first <= day <= last})
    return found
