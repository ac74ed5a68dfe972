"""Absences (vacation, sick, other; half days) and public holidays, and the days off that
forecasts and the monitor read (SPEC 11.5)."""
