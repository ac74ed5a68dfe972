"""The API of timesheets, absences and the monthly time reports (SPEC 11.5), one module each."""
