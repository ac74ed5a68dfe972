"""Teams (SPEC 11.1) on the HTTP side: the teams and /api/me/ endpoints, the monitor's data
narrowed to a lead's or viewer's scope, and the Teams and Projects pages."""
