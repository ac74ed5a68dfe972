"""Fixtures of the accessibility checks: Chromium (`browser`, a fresh `context` per test, `berlin_context`
in a time zone east of UTC). The real server and its company come from tests/conftest.py."""
from support.browser import berlin_context, browser, context  # noqa: F401  (fixtures of this folder)
