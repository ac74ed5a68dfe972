"""Real-server fixtures: a `python -m server` process on a free port, a fresh database per module,
an HTTP client per user, and fresh PostgreSQL databases for the tests that need one."""
import pytest

from support.client import Company
from support.pg import create_pg_database, drop_pg_database, require_pg
from support.server import start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server on SQLite, shared by the tests of one module (each makes its own users)."""
    srv = start_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def company(server):
    return Company(server)


# ---------------------------------------------------------------- PostgreSQL

@pytest.fixture
def pg_url():
    require_pg()
    name, url = create_pg_database()
    yield url
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """The models bound to a fresh, migrated database: SQLite file, then real PostgreSQL."""
    from server.store import database as store, migrations
    if request.param == "sqlite":
        url, name = "sqlite:///%s" % (tmp_path / "svc.db"), None
    else:
        require_pg()
        name, url = create_pg_database()
    connection = store.open_database(url)
    connection.connect()
    store.check_sqlite_durability()
    migrations.migrate()
    yield request.param
    connection.close()
    if name:
        drop_pg_database(name)
