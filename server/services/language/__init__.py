"""Languages and time zones (SPEC 11.4): the shipped gettext catalogs, the reader each answer is for,
and what the services write in English to be said again in the reader's language."""
