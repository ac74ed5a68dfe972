"""Hardening, third pass (issue 24): a test per finding, each failing before its fix."""
