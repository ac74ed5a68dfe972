"""What every handler knows of its reader: the language and time zone an answer is written in
(services/language), and the words, dates and numbers the templates write with."""
from tornado.escape import xhtml_escape

from server.services.language import catalogs
from server.services.language.choose import choose
from server.services.language.reader import Reader

LOCALE_COOKIE = "tracker_locale"  # the language a signed-out visitor picked (the login page)


class Readers:
    """A mixin of BaseHandler: `self.reader` follows the signed-in user once they are known."""
    _reader = _reader_for = None

    @property
    def reader(self):
        user = getattr(self, "_current_user", None)  # never a lookup of its own
        key = (getattr(user, "locale", None), getattr(user, "time_zone", None))
        if self._reader is None or self._reader_for != key:
            settings = self.application.settings["services"].settings
            code = choose(key[0] or self.get_cookie(LOCALE_COOKIE),
                          self.request.headers.get("Accept-Language"), settings["default_locale"])
            self._reader = Reader(code, key[1] or settings["default_time_zone"])
            self._reader_for = key
        return self._reader

    def get_template_namespace(self):
        namespace = super().get_template_namespace()
        reader = self.reader
        namespace.update(_=reader.gettext, ngettext=reader.ngettext, _html=self.html_message,
                         say=reader.say, as_sentence=self.as_sentence, reader=reader,
                         catalog_url=catalog_url(reader.code), languages=catalogs.NAMES)
        return namespace

    def as_sentence(self, message):
        """A service's message (lower case, no full stop: an API refusal) as a sentence of a page."""
        said = self.reader.say(message)
        return said[:1].upper() + said[1:] + ("" if said.endswith((".", "。", "!", "?", "؟")) else ".")

    def html_message(self, msgid, **markup):
        """A message with markup in its placeholders, for {% raw %}: the translation is escaped
        first, then each value (already HTML, escaped where it holds data) goes in its place."""
        return xhtml_escape(self.reader.gettext(msgid)) % markup


def catalog_url(code):
    """Where the browser finds a language's messages ("" for English: the scripts' own words);
    the version in the query lets it keep the file for good."""
    return "" if code == "en" else "/i18n/%s.json?v=%s" % (code, catalogs.version(code))
