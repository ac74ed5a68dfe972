"""The catalogs made from the code: Babel extracts every message (babel.cfg) into
server/locale/messages.pot, and each language's .po follows it (new messages come in empty, gone
ones leave). `make catalogs` runs this; tests/server/test_catalogs.py extracts again and compares."""
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from server.services.language import catalogs

ROOT = Path(__file__).resolve().parents[3]
# Python and templates: _ / ngettext (now), _l / _ln (said later), N_ (marked only);
# the browser (static/js/shared/i18n.js): t, tn, N_.
KEYWORDS = dict(DEFAULT_KEYWORDS, _l=None, _ln=(1, 2), _html=None, t=None, tn=(1, 2))
PROJECT = "Employee Progress Tracker"


def extract(root=ROOT):
    """Every message of the code under `root`, with the files (not lines) it is in."""
    with open(root / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = Catalog(project=PROJECT, charset="utf-8", fuzzy=False)
    for path, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        found.add(message, None, [(path.replace("\\", "/"), None)], auto_comments=comments,
                  context=context)
    return found


def write(catalog, path):
    with open(path, "wb") as target:
        write_po(target, catalog, width=100, sort_output=True, ignore_obsolete=True,
                 include_lineno=False)


def update(template, code):
    """One language's .po brought up to the template: translations kept, new messages empty."""
    path = catalogs.po_path(code)
    if path.exists():
        with open(path, "rb") as source:
            catalog = read_po(source, locale=catalogs.gettext_name(code))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=catalogs.gettext_name(code), project=PROJECT, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    write(catalog, path)
    return [message.id for message in catalog if message.id and not message.string]


def main():
    template = extract()
    write(template, catalogs.TEMPLATE)
    print("%s: %d messages" % (catalogs.TEMPLATE.relative_to(ROOT), len(template)))
    for code in catalogs.shipped():
        missing = update(template, code)
        print("%s: %d to translate" % (catalogs.po_path(code).relative_to(ROOT), len(missing)))


if __name__ == "__main__":
    sys.exit(main())
