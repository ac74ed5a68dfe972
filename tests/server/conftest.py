"""Fixtures of the server's own tests: the models bound to a fresh, migrated database (SQLite,
then PostgreSQL) with the consumers make_app subscribes, for the services; and Tornado's loop for
the in-process (gen_test) tests."""
import asyncio

import pytest
import tornado.ioloop

from support.pg import create_pg_database, drop_pg_database, require_pg


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """The models bound to a fresh, migrated database: SQLite file, then real PostgreSQL."""
    from server.app import subscribe_consumers
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
    subscribe_consumers(None)  # as make_app does: the webhook outbox, timers stopped by presence
    yield request.param
    connection.close()
    if name:
        drop_pg_database(name)


# ---------------------------------------------------------------- Tornado's loop in gen_test tests

@pytest.fixture
def io_loop():
    """pytest-tornado's own fixture, plus the asyncio loop Tornado restores after the test, owned
    and closed here. Tornado's make_current keeps `asyncio.get_event_loop()` to restore later; with
    no loop set, that call makes one nobody closes, and its collection during a later test (one that
    runs `asyncio.run`) is an unraisable ResourceWarning that fails the whole run."""
    owned = asyncio.new_event_loop()
    asyncio.set_event_loop(owned)
    loop = tornado.ioloop.IOLoop()
    loop.make_current()
    yield loop
    loop.clear_current()
    loop.close(all_fds=True)
    asyncio.set_event_loop(None)
    owned.close()
