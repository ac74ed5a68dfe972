"""Where the catalogs are and which languages they hold: the server's own .po files (beside the app
in a bundle, in the checkout, or TRACKER_LOCALE_DIR), read with Babel and compiled in memory."""
import gettext
import io
import os
import sys
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalog_folder():
    """Where the catalogs are: beside the app in a bundle, in the checkout, or in the installed
    server package; TRACKER_LOCALE_DIR overrides."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [os.environ.get("TRACKER_LOCALE_DIR"), bundle and Path(bundle) / "locale",
                  Path(__file__).resolve().parents[2] / "server" / "locale"]
    for folder in candidates:
        if folder and (Path(folder) / "messages.pot").exists():
            return Path(folder)
    return None


def shipped():
    """English and every language with a catalog, by their tags (pt-BR)."""
    folder = catalog_folder()
    if folder is None:
        return ["en"]
    return ["en"] + sorted(p.parent.parent.name.replace("_", "-")
                           for p in folder.glob("*/LC_MESSAGES/messages.po"))


def name_of(code):
    """A language named in its own words: Deutsch, Français, 日本語."""
    name = Locale.parse(code.replace("-", "_")).get_display_name()
    return name[:1].upper() + name[1:]


def choose(chosen, system_tags):
    """The app's own choice, else the first of the OS languages shipped (by its first subtag)."""
    codes = shipped()
    for tag in [chosen] + list(system_tags):
        tag = (tag or "").replace("_", "-")
        for code in codes:
            same = tag.lower() == code.lower() or tag.split("-")[0].lower() == code.split("-")[0]
            if tag and same:
                return code
    return "en"


def load(code):
    """gettext translations of a shipped language (English: the messages themselves)."""
    folder = catalog_folder()
    path = folder and folder / code.replace("-", "_") / "LC_MESSAGES" / "messages.po"
    if code == "en" or not path or not path.exists():
        return gettext.NullTranslations()
    with open(path, "rb") as source:
        catalog = read_po(source, locale=code.replace("-", "_"))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
