"""The first day of a newcomer (issue 30): install, demo, words on screen. Fixtures shared by
this folder's tests; the real-server fixtures come from tests/conftest.py."""
