"""Days people are away (approved absences, public holidays) as forecasts read them: a task makes
no progress on its assignee's days off, so its forecast moves past them and `at_risk` follows."""
import datetime

from server.store.times import as_time, iso
from server.services.absences import absences
from server.services.absences.holidays_of import holidays_between, place_of, team_places
from server.services.periods.weeks import ONE_DAY

HORIZON = datetime.timedelta(days=3 * 365)  # forecasts further out are not moved


class Calendar:
    """Everyone's days off from today on, read once per list of tasks (two queries: the approved
    absences, the places of people whose teams have a country)."""

    def __init__(self, now):
        self.today = now.date()
        self.last = self.today + HORIZON
        self.absent = absences.days_off(None, self.today, self.last)
        self.places = team_places()
        self.holidays = {}

    def fraction(self, user_id, day):
        """How much of `day` `user_id` is away: every day an absence spans (its weekend too: the
        forecast, like the pace, runs on calendar time), a public holiday on a weekday."""
        taken = self.absent.get(user_id, {}).get(day)
        if taken is not None:
            return taken[1]
        if day.weekday() >= 5:
            return 0.0
        place = place_of(user_id, self.places)
        if place not in self.holidays:
            self.holidays[place] = holidays_between(place, self.today, self.last)
        return 1.0 if day in self.holidays[place] else 0.0


def shift(forecast_at, user_id, now, calendar):
    """The forecast moved by the assignee's days off between now and it (each day off found
    pushes it a day, which may reach further days off)."""
    end, day = forecast_at, now.date()
    while day <= end.date() and day <= calendar.last:
        end += calendar.fraction(user_id, day) * ONE_DAY
        day += ONE_DAY
    return end


def moved(found, user_id, due_date, now, cache):
    """(forecast ISO text, at_risk) as view rows carry them, moved past the days off."""
    text, _at_risk = found
    if text is None or user_id is None:
        return found
    calendar = cache.get(("away",))
    if calendar is None:
        calendar = cache[("away",)] = Calendar(now)
    at = datetime.datetime.fromisoformat(text)
    at = at.astimezone(datetime.timezone.utc).replace(tzinfo=None) if at.tzinfo else at
    later = shift(at, user_id, now, calendar)
    if later == at:
        return found
    due = as_time(due_date) if due_date is not None else None
    return iso(later), due is not None and later > due
