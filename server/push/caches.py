"""In-process caches for the two reads nearly every request makes, each kept right by what already
announces changes: the token behind a request, and the ETag of an employee's task list.

Both are owned by the app (see Services in app.py), never module globals."""
import collections
import time

from server.services.people import auth
from server.services.tasks import tasks
from server.services.core.errors import Unauthorized

Login = collections.namedtuple("Login", "row user expires")  # a token cache entry
Tag = collections.namedtuple("Tag", "tag cursor until full_name")  # a list tag cache entry


class TokenCache:
    """Live tokens by digest, so a request costs a dictionary lookup instead of a query.

    A revocation or a user's change reaches it at once: in this process through forget(), from
    other processes through PostgreSQL NOTIFY (auth.announce; the event bus listens). Entries also
    expire after `ttl` seconds, which bounds what a lost notification could cost. Refusals are
    not cached."""

    def __init__(self, ttl=60.0, max_entries=20000, clock=time.monotonic):
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries = {}  # (digest, kind) -> Login

    def resolve(self, token, kind="api", idle_seconds=None):
        """The (token row, user) for a live token, or raise Unauthorized."""
        if not token or len(token) > 200:
            raise Unauthorized("a valid token is required")
        digest, now = auth.token_digest(token), self.clock()
        hit = self._entries.get((digest, kind))
        if hit is None or hit.expires <= now:
            row, user = auth.lookup_token(digest, kind)
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # a rare flood of distinct tokens: start over
            hit = self._entries[(digest, kind)] = Login(row, user, now + self.ttl)
        auth.check_idle(hit.row, idle_seconds)
        return hit.row, hit.user

    def forget(self, token_id=None, user_id=None):
        """Drop the entries of a token or of a user's tokens; with neither, drop everything."""
        if token_id is None and user_id is None:
            self._entries.clear()
            return
        for key, hit in list(self._entries.items()):
            if hit.row.id == token_id or hit.user.id == user_id:
                del self._entries[key]


class ListTags:
    """The ETag of each employee's task list (per status filter), recomputed only after the bus
    has taken in an event touching that employee, or when the clock would change the tag.

    The bus's cursor is read before the tag's query: an event committed meanwhile has an id above
    it and invalidates the entry when the bus takes it in."""

    def __init__(self, bus, clock=time.time):
        self.bus = bus
        self.clock = clock
        self._tags = {}  # (user id, status) -> Tag
        self._changed = {}  # user id -> the newest event taken in that touched them
        bus.observers.append(self._taken_in)

    def _taken_in(self, items):
        for item in items:
            for user_id in (item.subject, item.former):
                if user_id is not None:
                    self._changed[user_id] = item.id

    def get(self, user, status=None):
        key = (user.id, status)
        hit = self._tags.get(key)
        if (hit is not None and hit.cursor >= self._changed.get(user.id, 0)
                and self.clock() < hit.until and hit.full_name == user.full_name):
            return hit.tag
        cursor = self.bus.last_id  # read first: see the class docstring
        tag, until = tasks.list_tag(user, status)
        self._tags[key] = Tag(tag, cursor, until, user.full_name)
        return tag
