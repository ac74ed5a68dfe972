"""Working time per day from the time entries: first start, last stop, breaks, total, and the
rule flags (`max_daily_minutes`, `min_rest_minutes`): flagged on the sheet, never refused."""
from server.store.times import iso
from server.services.periods.weeks import ONE_DAY, instant

RULES = {"max_daily_minutes": 600, "min_rest_minutes": 660}


def _clipped(spans, day):
    """The parts of the spans [(start, end)] that fall on `day`, sorted."""
    start, end = instant(day), instant(day + ONE_DAY)
    return sorted((max(a, start), min(b, end)) for a, b in spans if a < end and b > start)


def _merged(spans):
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def day_row(day, spans, clock=None):
    """One day's working time: from the entries' spans, or the day's manual clock-in/out."""
    parts = _merged(_clipped(spans, day))
    row = {"date": day.isoformat(), "first_start": None, "last_stop": None, "break_minutes": 0,
           "work_minutes": 0, "source": "entries" if parts else None, "flags": []}
    if parts:
        worked = sum((end - start).total_seconds() for start, end in parts)
        span = (parts[-1][1] - parts[0][0]).total_seconds()
        row.update(first_start=iso(parts[0][0]), last_stop=iso(parts[-1][1]),
                   work_minutes=round(worked / 60), break_minutes=round((span - worked) / 60))
        row["_bounds"] = (parts[0][0], parts[-1][1])
    elif clock is not None:
        span = round((clock.clock_out - clock.clock_in).total_seconds() / 60)
        row.update(first_start=iso(clock.clock_in), last_stop=iso(clock.clock_out), source="clock",
                   break_minutes=clock.break_minutes, work_minutes=max(0, span - clock.break_minutes))
        row["_bounds"] = (clock.clock_in, clock.clock_out)
    return row


def flag(rows, rules, before=None):
    """Mark the days over `max_daily_minutes`, and those starting less than `min_rest_minutes`
    after the previous working day's last stop (`before`: the last stop before the first row)."""
    last_stop = before
    for row in rows:
        bounds = row.pop("_bounds", None)
        if bounds is None:
            continue
        if row["work_minutes"] > rules["max_daily_minutes"]:
            row["flags"].append({"rule": "max_daily_minutes", "text": "%s worked, more than %s" % (
                hours(row["work_minutes"]), hours(rules["max_daily_minutes"]))})
        if last_stop is not None:
            rest = (bounds[0] - last_stop).total_seconds() / 60
            if 0 <= rest < rules["min_rest_minutes"]:
                row["flags"].append({"rule": "min_rest_minutes", "text": "only %s of rest before it, "
                                     "less than %s" % (hours(rest), hours(rules["min_rest_minutes"]))})
        last_stop = bounds[1]
    return rows


def hours(minutes):
    minutes = int(round(minutes))
    return "%d h %02d min" % divmod(minutes, 60)


def working_days(days, spans, clocks, rules, before=None):
    """The rows of `days` with their flags. clocks: {date: Workday}; before: the last stop earlier."""
    return flag([day_row(day, spans, clocks.get(day)) for day in days], rules, before)


def rules_of(settings):
    """The two rule settings as the sheet reads them."""
    return {name: int(settings.get(name, default)) for name, default in RULES.items()}


def last_stop_before(spans, moment):
    ends = [end for start, end in spans if end <= moment]
    return max(ends) if ends else None

