"""The shipped catalogs: server/locale/<lang>/LC_MESSAGES/messages.po, read with Babel and compiled
in memory on first use (no .mo file is committed or written)."""
import functools
import gettext
import hashlib
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("en", "de", "fr", "es", "pt-BR", "ja", "ar")  # English is the source: no catalog
RIGHT_TO_LEFT = frozenset({"ar"})
# Each language named in its own words, for the selectors (never translated).
NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español",
         "pt-BR": "Português (Brasil)", "ja": "日本語", "ar": "العربية"}
FOLDER = Path(__file__).resolve().parents[2] / "locale"  # server/locale, installed with the package
TEMPLATE = FOLDER / "messages.pot"


def gettext_name(code):
    """pt-BR -> pt_BR: the folder and Babel's name of a language tag."""
    return code.replace("-", "_")


def po_path(code):
    return FOLDER / gettext_name(code) / "LC_MESSAGES" / "messages.po"


def shipped():
    """The languages with a catalog: every one but the source language."""
    return [code for code in LOCALES if code != "en"]


@functools.lru_cache(maxsize=None)
def catalog(code):
    """The Babel Catalog of one shipped language, as committed."""
    with open(po_path(code), "rb") as source:
        return read_po(source, locale=gettext_name(code))


@functools.lru_cache(maxsize=None)
def translations(code):
    """gettext translations of a language (English: the messages themselves)."""
    if code not in LOCALES or code == "en":
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, catalog(code))
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@functools.lru_cache(maxsize=None)
def version(code):
    """A short hash of a language's catalog: the browser's copy is cached under it."""
    if code not in LOCALES or code == "en":
        return "0"
    return hashlib.sha256(po_path(code).read_bytes()).hexdigest()[:12]


def load_all():
    """Read and compile every shipped catalog now: a broken file stops the start, not a page."""
    for code in shipped():
        translations(code)
