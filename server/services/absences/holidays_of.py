"""Public holidays from the `holidays` library, for a place (country, region).

Where people work: a team's `country` / `region` when one of their teams (as member or lead) has a
country, the first such team by name when several do; else the company's place (settings
`holiday_country` / `holiday_region`, given to `configure` by make_app). `team_places` reads every
person's team place in one query, for callers that look at many people (forecasts)."""
import functools

import holidays
import peewee as pw

from server.store.models import Team, TeamMember
from server.services.core.errors import ValidationError
from server.services.language.text import _l

_default = {"place": (None, None)}
PEOPLE_ROLES = ("member", "lead")  # a team's people; its viewers read it from elsewhere


@functools.lru_cache(maxsize=1)
def _supported():
    return holidays.list_supported_countries()


@functools.lru_cache(maxsize=512)
def _regions(country):
    """{code or alias, lower case: the code} of the country's regions."""
    codes = {code.lower(): code for code in _supported()[country]}
    aliases = getattr(holidays.country_holidays(country), "subdivisions_aliases", None) or {}
    codes.update({alias.lower(): code for alias, code in aliases.items()})
    return codes


def known_place(country, region):
    """(country, region) as the library spells them (None for "" or null), or a ValidationError
    naming the field: a country it does not know, a region not of that country, a region alone."""
    country, region = (country or "").strip().upper() or None, (region or "").strip() or None
    if country is None:
        if region is not None:
            raise ValidationError(_l("region %(region)s needs a country: set the country too "
                                     "(e.g. DE with BY)", region=region), "region")
        return None, None
    if country not in _supported():
        raise ValidationError(_l("country %(country)s is not one the holidays library knows: use an "
                                 "ISO 3166 code such as DE or US", country=country), "country")
    return country, None if region is None else _region(country, region)


def _region(country, region):
    found = _regions(country).get(region.lower())
    if found is None:
        codes = _supported()[country]
        if not codes:
            raise ValidationError(_l("region %(region)s is not a region of %(country)s: it has none, "
                                     "leave it empty", region=region, country=country), "region")
        raise ValidationError(_l("region %(region)s is not a region of %(country)s: use one of "
                                 "%(codes)s", region=region, country=country, codes=", ".join(codes)),
                              "region")
    return found


def configure(country, region):
    """The company's place; refuses one the library does not know (a typo must not pass silently)."""
    try:
        _default["place"] = known_place(country, region)
    except ValidationError as exc:  # stop the start with the setting's name
        raise ValueError("holiday_country / holiday_region (TRACKER_HOLIDAY_COUNTRY, "
                         "TRACKER_HOLIDAY_REGION): %s" % exc.message) from None


def team_places(user_ids=None):
    """{user id: (country, region)} of the people (all, or those of `user_ids`) whose teams have a
    country: the first such team by name. One query."""
    query = (TeamMember.select(TeamMember.user, Team.country, Team.region)
             .join(Team, on=(TeamMember.team == Team.id))
             .where(Team.country.is_null(False), TeamMember.role.in_(PEOPLE_ROLES))
             .order_by(pw.fn.LOWER(Team.name), Team.id).tuples())
    if user_ids is not None:
        query = query.where(TeamMember.user.in_(list(user_ids) or [0]))
    found = {}
    for user_id, country, region in query:
        found.setdefault(user_id, (country, region or None))
    return found


def place_of(user_id, places=None):
    """(country, region) whose holidays the person has off; `places` (from team_places) saves the
    query when the caller looks at many people."""
    places = team_places([user_id]) if places is None else places
    return places.get(user_id, _default["place"])


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
