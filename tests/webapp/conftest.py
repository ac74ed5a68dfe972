"""Fixtures of the web app's tests: Chromium (`browser`, a fresh `context` per test) and `srv`, a
server of the test's own for the tests that stop it under the page."""
import pytest

from support.browser import browser, context  # noqa: F401  (fixtures of this folder)
from support.server import make_server


@pytest.fixture
def srv(tmp_path):
    """A server of this test's own: the offline tests stop and start it under the page."""
    server = make_server(tmp_path)
    yield server
    server.stop()
