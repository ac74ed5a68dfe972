"""What the time entry paths, absences and timesheets share, below all of them: ISO weeks and
days, the period lock of approved weeks, and who may approve whose time (SPEC 11.5)."""
