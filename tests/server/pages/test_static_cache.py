"""The admin pages' scripts by content (server/web/modules.py): every module is asked under its
content hash and kept for a year, the import map that names them is the one inline script the
page's policy allows, and a URL without a hash is always checked again."""
import base64
import hashlib
import json
import re

import pytest
import requests

from support.browser import PageErrors, browser, context, form_session, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def import_map(html):
    return re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1)


def test_the_import_map_is_allowed_by_its_hash_and_names_every_module_by_content(server):
    page = form_session(server.url).get(server.url + "/dashboard/tasks/monitor/", timeout=30)
    text = import_map(page.text)
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-%s'" % digest in policy and "unsafe-inline" not in policy
    imports = json.loads(text)["imports"]
    assert "/static/js/monitor/card.js" in imports and "/static/js/shared/push.js" in imports
    for plain, hashed in imports.items():
        assert hashed.startswith(plain + "?v=")
    kept = requests.get(server.url + imports["/static/js/monitor/card.js"], timeout=30)
    assert kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = requests.get(server.url + "/static/js/monitor/card.js", timeout=30)
    assert plain.headers["Cache-Control"] == "no-cache" and plain.content == kept.content
    assert plain.headers["Content-Encoding"] == "gzip"  # requests asks for it; Tornado gzips


def test_the_monitor_asks_for_every_module_under_its_hash_and_again_for_none(server, context):
    page = context.new_page()
    errors = PageErrors(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    asked, cached = {}, set()  # request id -> URL; ids the browser answered from its cache
    cdp.on("Network.requestWillBeSent", lambda e: "/static/js/" in e["request"]["url"] and asked.update(
        {e["requestId"]: e["request"]["url"]}))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    sign_in(page, server.url)
    page.wait_for_selector("#grid .card, #empty:not([hidden])")
    assert asked and all("?v=" in url for url in asked.values()), asked
    asked.clear()
    page.reload()  # a second visit: every module from the browser's cache, none asked again
    page.wait_for_selector("#grid .card, #empty:not([hidden])")
    assert asked and all("?v=" in url for url in asked.values()), asked
    assert set(asked) <= cached and errors.errors == []
