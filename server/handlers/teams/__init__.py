"""Teams (SPEC 11.1) on the HTTP side: the teams and /api/me/ endpoints (api.py), projects'
edits and set-password links (admin_api.py), and the monitor's data narrowed to a lead's or
viewer's scope (board.py). Their pages are handlers/pages/teams.py and people.py."""
