"""Fresh databases on the test PostgreSQL (TRACKER_TEST_PG); a test skips or, in CI, fails without it."""
import uuid

import psycopg
import pytest

from .server import IN_CI, PG_URL


def pg_available():
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def require_pg():
    if not pg_available():
        if IN_CI:
            pytest.fail("PostgreSQL at %s is required under CI=true" % PG_URL)
        pytest.skip("PostgreSQL not reachable at %s (set TRACKER_TEST_PG)" % PG_URL)


def create_pg_database():
    """A fresh, empty database on the test server; returns its URL."""
    name = "tracker_t_%s" % uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute('CREATE DATABASE "%s"' % name)
    base = PG_URL.rsplit("/", 1)[0]
    return name, "%s/%s" % (base, name)


def drop_pg_database(name):
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
