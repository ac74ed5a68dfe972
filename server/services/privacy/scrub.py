"""What erasure rewrites in other people's text: the erased person's username, full name and
e-mail become `erased-<id>`; in event payloads their own notes, comments and time notes go too."""
import re

import orjson

TEXT_KEYS = ("notes", "body", "note")  # what a person wrote, in the API's objects
AUTHOR_KEYS = ("user", "author", "editor")


class Scrubber:
    def __init__(self, user_id, names):
        self.user_id = user_id
        self.replacement = "erased-%d" % user_id
        self.names = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
        alternatives = "|".join(re.escape(name) for name in self.names) or "(?!)"
        # A name counts where it stands alone: "@ann" and "ann," yes, "anna" or "joanne" no.
        self.pattern = re.compile(r"(?<![\w.-])(?:%s)(?![\w-])" % alternatives, re.IGNORECASE)

    def likes(self):
        """LIKE patterns that find candidate rows, matched against the column and lower(column):
        each name as written and lowered (SQLite's lower() folds ASCII letters only)."""
        forms = dict.fromkeys(form for name in self.names for form in (name, name.lower()))
        return ["%" + form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                for form in forms]

    def text(self, value):
        if not value:
            return value
        return self.pattern.sub(self.replacement, value)

    def payload(self, raw):
        """An event's (or a delivery's) JSON with the person's texts blanked and names replaced."""
        return orjson.dumps(self._walk(orjson.loads(raw))).decode()

    def _walk(self, value):
        if isinstance(value, dict):
            if self._written_by_them(value):
                value = {k: ("" if k in TEXT_KEYS and isinstance(v, str) else v)
                         for k, v in value.items()}
            return {k: self._walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def _written_by_them(self, value):
        for key in AUTHOR_KEYS:
            who = value.get(key)
            if isinstance(who, dict) and who.get("id") == self.user_id:
                return True
        return False
