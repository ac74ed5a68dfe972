"""The desktop's language and time zone (SPEC 11.4): the server's own catalogs, the language picked
in the app, else the OS language; dates and times in the person's zone (the server's time_zone for
them). `_`, `ngettext` and `N_` as in the server's Python; `say` for a server sentence's words."""
import datetime

from babel import dates
from babel.lists import format_list

from .catalogs import choose, name_of, shipped  # noqa: F401 - the package's door
from .reader import Language

current = Language()


def _(message, **values):
    """A message in the app's language, its %(name)s placeholders filled from `values`."""
    text = current.translations.gettext(message)
    return text % values if values else text


def ngettext(singular, plural, count, **values):
    """The plural form for `count`; %(num)s is the count in the locale's digits, ungrouped."""
    values.setdefault("num", current.count(count))
    return current.translations.ngettext(singular, plural, count) % values


def say(words):
    """A server sentence (an audit row's `words`: msgid, values) in the app's language; a list
    joined as the language joins lists, {"date"} written as it writes a day."""
    if isinstance(words, list):
        return format_list([say(w) for w in words], locale=current.locale)
    if not isinstance(words, dict):
        return str(words)
    if "date" in words:
        return dates.format_skeleton("yMMMMd", datetime.date.fromisoformat(words["date"]),
                                     locale=current.locale)
    if "plural" in words:
        pattern = current.translations.ngettext(words["msgid"], words["plural"], words["count"])
    else:
        pattern = current.translations.gettext(words["msgid"])
    values = words.get("values") or {}
    said = {name: say(value) if isinstance(value, (dict, list)) else value  # numbers stay numbers
            for name, value in values.items()}
    return pattern % said if values else pattern


def N_(message):
    """Marks a message for extraction where it is written; _() says it where it is shown."""
    return message
