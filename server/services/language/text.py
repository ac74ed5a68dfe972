"""Text: an English message that keeps its msgid and values, so that the one who shows it (an API
error, a page, a mail) says it again in the reader's language. `_l` and `_ln` make one."""


class Text(str):
    """The English sentence as a str (logs, tests, the English reader), plus what it is made of."""
    msgid = plural = count = None
    values = None

    def __new__(cls, msgid, plural=None, count=None, values=None):
        english = plural if plural is not None and count != 1 else msgid
        made = super().__new__(cls, english % values if values else english)
        made.msgid, made.plural, made.count, made.values = msgid, plural, count, values
        return made

    def __reduce__(self):
        return (Text, (self.msgid, self.plural, self.count, self.values))

    def said_in(self, translations):
        """The sentence in the language of `translations` (gettext), its values said too."""
        if self.plural is None:
            pattern = translations.gettext(self.msgid)
        else:
            pattern = translations.ngettext(self.msgid, self.plural, self.count)
        if not self.values:
            return pattern
        return pattern % {name: say(value, translations) for name, value in self.values.items()}


def say(value, translations):
    """A Text in the language of `translations`; anything else as it is."""
    return value.said_in(translations) if isinstance(value, Text) else value


def _l(msgid, **values):
    """A message to be said later in the reader's language: `_l("team %(id)s does not exist", id=7)`."""
    return Text(msgid, values=values or None)


def _ln(singular, plural, count, **values):
    """A message with plural forms: `_ln("%(num)d task", "%(num)d tasks", n, num=n)`."""
    return Text(singular, plural, count, values or None)


def N_(msgid):
    """Marks a message for extraction where it is written; it is translated where it is shown."""
    return msgid
