"""Sentences a person reads, made from the records the server keeps (audit rows first)."""
