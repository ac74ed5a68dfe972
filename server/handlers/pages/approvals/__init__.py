"""The approvers' pages: timesheets and absences."""
