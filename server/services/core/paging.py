"""Cursor paging for lists that grow: `?before=<id>&limit=N`, newest first, and the `next` cursor."""
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.language.text import _l

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def parse_limit(args, default=DEFAULT_LIMIT):
    """`limit` from the query: absent -> default, else an integer from 1 to MAX_LIMIT or 400."""
    raw = args.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError(_l("limit must be an integer from 1 to %(max_limit)d",
                                 max_limit=MAX_LIMIT), "limit")
    return int(raw)


def parse_page(args, cursor="before"):
    """(before id or None, limit) from the query arguments."""
    return validate.query_id(args, cursor), parse_limit(args)


def cut(rows, limit, key):
    """(the first `limit` rows, the next cursor or None) from a query that asked for limit + 1."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, key(rows[-1])
