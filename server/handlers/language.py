"""The browser's catalogs (GET /i18n/<lang>.json) and the language picker of the pages
(POST /language): a signed-in person's choice is kept on their account, a visitor's in a cookie."""
import urllib.parse

import tornado.web

from server.handlers.base import PageHandler
from server.handlers.readers import LOCALE_COOKIE
from server.services.language import browser, catalogs
from server.services.teams import profile

YEAR = 365 * 24 * 3600


class CatalogHandler(tornado.web.RequestHandler):
    """One language's messages for the scripts; kept for a year when asked for by its version."""

    def set_default_headers(self):
        self.clear_header("Server")
        self.set_header("X-Content-Type-Options", "nosniff")

    def get(self, code):
        if code not in catalogs.LOCALES:
            raise tornado.web.HTTPError(404)
        current = catalogs.version(code)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("ETag", '"%s"' % current)
        if self.get_query_argument("v", None) == current:
            self.set_header("Cache-Control", "public, max-age=%d, immutable" % YEAR)
        else:
            self.set_header("Cache-Control", "no-cache")
        if self.check_etag_header():
            self.set_status(304)
            return
        self.finish(browser.catalog_json(code))

    def compute_etag(self):
        return None  # set above, from the catalog's version


def back_to(raw):
    """A same-site path to return to; anything else goes to the start page."""
    parsed = urllib.parse.urlsplit(raw or "/")
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/") or raw.startswith("//"):
        return "/"
    return raw


class LanguageHandler(PageHandler):
    """POST /language: locale=<tag> (empty: the browser's again), time_zone=<IANA> (signed in;
    empty: the default again), next=<path>."""
    admin_only = False

    def fields(self):
        code = self.get_body_argument("locale", "").strip() or None
        fields = {"locale": None if code is None else profile.check_locale(code)}
        zone = self.get_body_argument("time_zone", None)
        if zone is not None:
            fields["time_zone"] = profile.check_zone(zone.strip()) if zone.strip() else None
        return fields

    async def post(self):
        fields = self.fields()
        code = fields["locale"]
        if self.current_user is not None:
            await self.svc.writer.submit(profile.update_me, self.current_user.id, fields)
            self.svc.credentials_changed(user_id=self.current_user.id, close=False)
        if code is None:
            self.clear_cookie(LOCALE_COOKIE)
        else:
            self.set_cookie(LOCALE_COOKIE, code, expires_days=365, httponly=True, samesite="Lax")
        self.redirect(back_to(self.get_body_argument("next", "/")))


routes = [
    (r"/i18n/([A-Za-z]{2}(?:-[A-Za-z]{2})?)\.json", CatalogHandler),
    (r"/language", LanguageHandler),
]
