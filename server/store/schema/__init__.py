"""Frozen SQL of each schema version; migrations.py applies them in order. Never edit a released one."""
