"""Forecasts skip days off, on both backends: a public holiday of the company's country (a
weekday only) or of the person's team's, an approved absence (every day it spans), a half day;
nothing else moves them."""
import datetime

import pytest

from server.store.database import db
from server.store.models import Team, TeamMember
from server.store.timesheet_models import Absence
from support.db import people
from server.services.absences import away, holidays_of


@pytest.fixture
def in_britain():
    holidays_of.configure("GB", "")
    yield
    holidays_of.configure("", "")


def test_christmas_moves_a_forecast_a_day_and_boxing_day_on_a_saturday_does_not(database, in_britain):
    _boss, ann, _bob = people()
    now = datetime.datetime(2026, 12, 24, 10)
    calendar = away.Calendar(now)
    assert away.shift(datetime.datetime(2026, 12, 25, 9), ann.id, now, calendar) == \
        datetime.datetime(2026, 12, 26, 9)
    assert away.shift(datetime.datetime(2026, 12, 24, 18), ann.id, now, calendar) == \
        datetime.datetime(2026, 12, 24, 18)


def test_an_absence_moves_it_by_every_day_it_spans_and_a_half_day_by_half(database):
    _boss, ann, bob = people()
    with db.atomic():
        Absence.create(user=ann, kind="vacation", starts_on=datetime.date(2027, 3, 5),
                       ends_on=datetime.date(2027, 3, 8), half_day=False, state="approved")
        Absence.create(user=bob, kind="other", starts_on=datetime.date(2027, 3, 5),
                       ends_on=datetime.date(2027, 3, 5), half_day=True, state="approved")
        Absence.create(user=bob, kind="sick", starts_on=datetime.date(2027, 3, 8),
                       ends_on=datetime.date(2027, 3, 9), half_day=False, state="requested")
    now = datetime.datetime(2027, 3, 4, 12)
    calendar = away.Calendar(now)
    forecast = datetime.datetime(2027, 3, 5, 12)
    assert away.shift(forecast, ann.id, now, calendar) == datetime.datetime(2027, 3, 9, 12)
    assert away.shift(forecast, bob.id, now, calendar) == datetime.datetime(2027, 3, 6, 0)


def test_the_first_team_by_name_with_a_country_is_where_its_members_and_leads_work(database, in_britain):
    _boss, ann, bob = people()
    with db.atomic():
        bavaria = Team.create(name="a Bavaria", country="DE", region="BY")
        berlin = Team.create(name="B Berlin", country="DE", region="BE")
        TeamMember.create(team=berlin, user=ann, role="lead")
        TeamMember.create(team=bavaria, user=ann, role="member")
        TeamMember.create(team=bavaria, user=bob, role="viewer")  # reads the team, works elsewhere
    assert holidays_of.team_places() == {ann.id: ("DE", "BY")}
    assert (holidays_of.place_of(ann.id), holidays_of.place_of(bob.id)) == (("DE", "BY"), ("GB", None))
    now = datetime.datetime(2027, 1, 5, 10)
    calendar = away.Calendar(now)
    epiphany = datetime.datetime(2027, 1, 6, 9)  # Bavaria's, not Berlin's nor Britain's
    assert away.shift(epiphany, ann.id, now, calendar) == datetime.datetime(2027, 1, 7, 9)
    assert away.shift(epiphany, bob.id, now, calendar) == epiphany


def test_a_country_or_region_the_library_does_not_know_stops_the_start():
    for country, region in (("XX", ""), ("DE", "ZZ")):
        with pytest.raises(ValueError, match="TRACKER_HOLIDAY_COUNTRY"):
            holidays_of.configure(country, region)
    holidays_of.configure("", "")
