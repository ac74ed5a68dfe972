"""Text: an English message that keeps its msgid and values, so that the one who shows it (an API
error, a page, a mail, the browser and the desktop from `words`) says it again in the reader's
language. `_l` and `_ln` make one. A value may be a Text, a list (joined as the language joins
lists) or a date (written as the language writes a day); anything else is written as it is."""
import datetime

from babel import dates
from babel.lists import format_list


class Text(str):
    """The English sentence as a str (logs, tests, the English reader), plus what it is made of."""
    msgid = plural = count = None
    values = None

    def __new__(cls, msgid, plural=None, count=None, values=None):
        english = plural if plural is not None and count != 1 else msgid
        made = super().__new__(cls, english % {k: _english(v) for k, v in values.items()}
                               if values else english)
        made.msgid, made.plural, made.count, made.values = msgid, plural, count, values
        return made

    def __reduce__(self):
        return (Text, (self.msgid, self.plural, self.count, self.values))

    def said_in(self, translations, locale):
        """The sentence in the language of `translations` (gettext) and `locale` (Babel)."""
        if self.plural is None:
            pattern = translations.gettext(self.msgid)
        else:
            pattern = translations.ngettext(self.msgid, self.plural, self.count)
        if not self.values:
            return pattern
        return pattern % {name: say(value, translations, locale) for name, value in self.values.items()}

    def words(self):
        """What the browser and the desktop need to say it again: msgid, plural and count, and
        the values (each a Text's words, a list, {"date": ISO} or the value itself)."""
        found = {"msgid": self.msgid, "values": {k: _words(v) for k, v in (self.values or {}).items()}}
        if self.plural is not None:
            found.update(plural=self.plural, count=self.count)
        return found


def _english(value):
    if isinstance(value, list):  # "a, b and c": the English the server always wrote
        parts = [str(_english(v)) for v in value]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    if isinstance(value, datetime.date):
        return "%d %s" % (value.day, value.strftime("%B %Y"))
    return value


def _words(value):
    if isinstance(value, Text):
        return value.words()
    if isinstance(value, list):
        return [_words(v) for v in value]
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return value


def say(value, translations, locale):
    """A Text in the language of `translations` and `locale`; a list joined and a date written
    as that language does; anything else as it is."""
    if isinstance(value, Text):
        return value.said_in(translations, locale)
    if isinstance(value, list):
        return format_list([say(v, translations, locale) for v in value], locale=locale)
    if isinstance(value, datetime.date):
        return dates.format_skeleton("yMMMMd", value, locale=locale)
    return value


def _l(msgid, **values):
    """A message to be said later in the reader's language: `_l("team %(id)s does not exist", id=7)`."""
    return Text(msgid, values=values or None)


def _ln(singular, plural, count, **values):
    """A message with plural forms: `_ln("%(num)d task", "%(num)d tasks", n, num=n)`."""
    return Text(singular, plural, count, values or None)


def N_(msgid):
    """Marks a message for extraction where it is written; it is translated where it is shown."""
    return msgid
