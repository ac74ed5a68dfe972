"""Fixtures every folder uses: a real `python -m server` process on a free port with a fresh
database per module, an HTTP client per user, and fresh PostgreSQL databases for the tests that
need one. Each folder's own fixtures are in its conftest.py (tests/server/conftest.py: the models
bound to a database, Tornado's loop)."""
import pytest

from support.client import Company
from support.pg import create_pg_database, drop_pg_database, require_pg
from support.browser import start_demo_server
from support.server import start_server
from support.smtp import Mailbox


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server on SQLite, shared by the tests of one module (each makes its own users)."""
    srv = start_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo company of `make run` (held still), shared by the tests of one module."""
    srv = start_demo_server(tmp_path_factory.mktemp("demo"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def company(server):
    return Company(server)


@pytest.fixture(scope="module")
def mailbox():
    """A real SMTP server in the test process (aiosmtpd) for the servers of one module."""
    box = Mailbox()
    yield box
    box.close()


# ---------------------------------------------------------------- PostgreSQL

@pytest.fixture
def pg_url():
    require_pg()
    name, url = create_pg_database()
    yield url
    drop_pg_database(name)
