"""The admin pages' JavaScript modules by content: an import map sends every module's plain URL
(the one a relative `import` resolves to) to its URL with the content hash, so a browser keeps
each module for a year and fetches it again only when it changes (the entry point alone had its
hash before; the modules it imports were asked again, one round trip per level of imports).

An inline import map is a script to the pages' Content-Security-Policy: it is allowed by its
hash, so no other inline script is."""
import base64
import hashlib
from pathlib import Path

import orjson


class ImportMap:
    """`version_of(path)` gives the hash the static handler checks (StaticFileHandler.get_version),
    so the map and `static_url` name the same file alike."""

    def __init__(self, static_path, version_of, prefix="/static/"):
        imports = {}
        for path in sorted(Path(static_path, "js").rglob("*.js")):
            name = path.relative_to(static_path).as_posix()
            imports[prefix + name] = "%s%s?v=%s" % (prefix, name, version_of(name))
        # Inside <script>: "</" could end the element early (no file name holds one, but still).
        text = orjson.dumps({"imports": imports}).decode().replace("</", "<\\/")
        self.tag = '<script type="importmap">%s</script>' % text
        digest = hashlib.sha256(text.encode()).digest()
        self.source = "'sha256-%s'" % base64.b64encode(digest).decode()
        self.policies = {}

    def csp(self, policy):
        """`policy` allowing this map and the site's own scripts, and nothing else inline."""
        found = self.policies.get(policy)
        if found is None:
            found = self.policies[policy] = "%s; script-src 'self' %s" % (policy, self.source)
        return found
