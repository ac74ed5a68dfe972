"""The browser's copy of a catalog: the messages the scripts under static/ use (the template says
where each message is), as JSON, with the plural rule as Intl.PluralRules' categories -> the
catalog's forms (the browser cannot run gettext's C expression under our CSP)."""
import functools
import json

from babel import Locale
from babel.messages.pofile import read_po

from server.services.language import catalogs

# Counts that meet every category of the shipped languages' rules (Arabic's few and many,
# French's many for millions).
SAMPLE_COUNTS = list(range(0, 250)) + [1000, 1001, 1000000, 2000000, 1000001]


# Where the messages the browser says are: its scripts, and the server's sentences it is sent as
# `words` (an audit row's, say) to say again in the reader's language.
BROWSER_SOURCES = ("static/", "server/services/sentences/")


@functools.lru_cache(maxsize=1)
def browser_messages():
    """The msgids the browser says: those the template finds in one of BROWSER_SOURCES."""
    with open(catalogs.TEMPLATE, "rb") as source:
        template = read_po(source)
    return frozenset(message.id if isinstance(message.id, str) else message.id[0]
                     for message in template
                     if message.id and any(path.startswith(BROWSER_SOURCES)
                                           for path, _line in message.locations))


def plural_map(code):
    """{CLDR category: gettext form index} of a language; ValueError if its rules disagree."""
    locale = Locale.parse(catalogs.gettext_name(code))
    plural = getattr(catalogs.translations(code), "plural", lambda n: int(n != 1))  # English
    forms = {}
    for count in SAMPLE_COUNTS:
        category, index = locale.plural_form(count), plural(count)
        if forms.setdefault(category, index) != index:
            raise ValueError("%s: CLDR category %s meets plural forms %d and %d"
                             % (code, category, forms[category], index))
    return forms


@functools.lru_cache(maxsize=None)
def catalog_json(code):
    """The JSON body of /i18n/<code>.json."""
    wanted, messages = browser_messages(), {}
    if code != "en":
        for message in catalogs.catalog(code):
            key = message.id if isinstance(message.id, str) else message.id and message.id[0]
            if key in wanted and message.string and not message.fuzzy:
                messages[key] = message.string if isinstance(message.string, str) else list(message.string)
    body = {"locale": code, "plural": plural_map(code), "messages": messages}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
