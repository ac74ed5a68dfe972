"""Tasks: the task object, the admin's writes, progress reports, projects, stale work, forecasts and dependency links."""
