"""Teams (SPEC 11.1) on the HTTP side: the teams and /api/me/ endpoints (api.py), projects'
edits and set-password links (admin_api.py), the Teams and Projects pages (pages.py) and the
People page's changes and the set-password page (people.py). The monitor's data for a scope is
services/monitor/scoped.py."""
