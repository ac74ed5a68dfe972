"""The password rule (ASVS 5.0 V6.2), one for the API, the pages and the command line.

At least 12 characters (a passphrase of a few words counts), at most 256; any printable Unicode,
kept exactly as typed (never trimmed, truncated or case-folded); no composition rules. Refused:
control characters, only whitespace, the username, and anything zxcvbn explains as common: its
list of 30,000 leaked passwords (and English words, names) alone, repeated, reversed, in l33t, or
with a sequence or a keyboard run added — and the same built from the account's own words (its
username, full name, e-mail address) or the product's (ASVS 6.2.11): `rtemp8rtemp8rtemp8` for
rtemp8, `Emma Schmidt 1`, `Tracker2026!`."""
import re
import unicodedata

import zxcvbn

from server.services.core.errors import ValidationError
from server.services.language.text import _l

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's own bound: its matching time grows steeply with length (a random 72-character string
# takes ~0.5 s, a 256-character one ~10 s). Longer passwords are judged by their first 72.
ESTIMATED_LENGTH = 72
# Fewer estimated guesses than this is common (zxcvbn's scores 0 and 1: "too guessable").
MIN_GUESSES = 10**6
REFUSED_CATEGORIES = ("Cc", "Cs")  # control characters (NUL, tab, newline...) and lone surrogates
# The rule in a sentence, shown beside every field where a password is chosen, before any refusal.
RULE = _l("At least %(min_length)d characters; not the username and not a common password. A few "
         "unrelated words make a good one.", min_length=MIN_LENGTH)
# Words anyone guessing a password here tries first: the product's name and its own vocabulary.
PRODUCT_WORDS = ("tracker", "employee", "progress", "demo", "password", "pass", "admin", "owner")
MIN_WORD = 3  # shorter parts of a name ("al", "j") would remove too much of any password


def refuse(message):
    raise ValidationError(message, "password")


def check_shape(password, username=None):
    """The quick part of the rule: type, length, characters, not the username."""
    if not isinstance(password, str) or not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        refuse(_l("password must be %(min_length)d to %(max_length)d characters (a few words make "
                  "a good one)", min_length=MIN_LENGTH, max_length=MAX_LENGTH))
    if any(unicodedata.category(c) in REFUSED_CATEGORIES for c in password):
        refuse(_l("password must not contain control characters"))
    if password.isspace():
        refuse(_l("password must not be only spaces"))
    if username and password.lower() == username.lower():
        refuse(_l("password must not be the username"))
    return password


def context(*values):
    """The words of an account a password must not be built from: each value (username, full
    name, e-mail) whole and in its parts, and the product's words."""
    words = set(PRODUCT_WORDS)
    for value in values:
        if value:
            value = value.lower()
            words.add(value)
            words.update(part for part in re.split(r"[^\w]+|_", value) if len(part) >= MIN_WORD)
    return sorted(words, key=len, reverse=True)


def _without(password, words):
    """The password with every context word taken out: what is left must still be strong."""
    rest = password.lower()
    for word in words:
        rest = rest.replace(word, "")
    return rest


def check_common(password, user_inputs=()):
    """The slow part (milliseconds, up to half a second): call it off the event loop."""
    words = list(user_inputs) or list(PRODUCT_WORDS)
    judged = password[:ESTIMATED_LENGTH]
    rest = _without(judged, words)
    if (zxcvbn.zxcvbn(judged, user_inputs=words)["guesses"] < MIN_GUESSES
            or not rest or zxcvbn.zxcvbn(rest, user_inputs=words)["guesses"] < MIN_GUESSES):
        refuse(_l("password is too common or too easy to guess, or built from your name or the "
                  "product's; try a few unrelated words"))
    return password


def checked_hash(hasher, password, user_inputs=()):
    """The password's hash once it passed check_common (check_shape ran with the other fields)."""
    return hasher.hash(check_common(password, user_inputs))
