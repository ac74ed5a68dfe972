"""Week timesheets (submit, approve, reject, reopen) and the period lock, working time per day,
absences with public holidays, and the monthly reports (SPEC 11.5)."""
