"""Provisioning people: CSV import (command line and People page) and invitations."""
