"""People: users, passwords, sign-in and tokens, the login throttle, and the presence rule."""
