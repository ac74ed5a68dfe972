"""Helpers the tests share: real server processes, API clients, PostgreSQL databases, push and
browser helpers. Fixtures stay in conftest.py; everything else is imported from here."""
