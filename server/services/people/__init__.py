"""People: users, passwords, sign-in and tokens, the login throttle, the presence rule, and the
one-time set-password links an admin sends (links.py)."""
