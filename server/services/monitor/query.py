"""What the admin's task board may be asked: filters, a search and a grouping, validated."""
from server.store.models import PRIORITIES, STATUSES
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.language.text import _l

FLAGS = ("at_risk", "stale", "overdue", "blocked")  # yes/no filters on a task's derived flags
GROUPS = ("employee", "project")
MAX_QUERY = 200
MAX_IDS = 200  # task ids per read of the cards' last updates (a page draws fewer at once)
NO_PROJECT = 0  # the board keeps 0 for "no project": ids start at 1


def parse(args):
    """Query arguments of /api/admin/task-status/ -> (filters, group or None); a bad value is a
    400 naming its argument."""
    filters = {"status": validate.query_choice(args, "status", STATUSES),
               "priority": validate.query_choice(args, "priority", PRIORITIES),
               "employee": validate.query_id(args, "employee"),
               "project": project(args)}
    for name in FLAGS:
        filters[name] = flag(args, name)
    filters["q"] = search_terms(args.get("q"))
    group = validate.query_choice(args, "group", GROUPS)
    return {name: value for name, value in filters.items() if value is not None}, group


def task_ids(raw):
    """`ids` of the cards' updates read: task ids separated by commas; an id beyond the id range
    names no task and is left out, as a missing one is."""
    if not raw:
        raise ValidationError(_l("ids is required: task ids separated by commas"), "ids")
    found = raw.split(",")
    if len(found) > MAX_IDS:
        raise ValidationError(_l("ids takes at most %(most)d task ids", most=MAX_IDS), "ids")
    if not all(item.isascii() and item.isdigit() and len(item) <= 12 for item in found):
        raise ValidationError(_l("ids must be task ids separated by commas"), "ids")
    return [int(item) for item in found if 0 < int(item) <= validate.MAX_ID]


def project(args):
    """A project id, or `none` for the tasks outside every project."""
    if args.get("project") == "none":
        return NO_PROJECT
    return validate.query_id(args, "project")


def flag(args, name):
    raw = args.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise ValidationError("%s must be true or false" % name, name)
    return raw == "true"


def search_terms(raw):
    """`q` -> its lower-case words (a task matches when it holds every one), None when empty."""
    if raw is None:
        return None
    if len(raw) > MAX_QUERY:
        raise ValidationError("q must be at most %d characters" % MAX_QUERY, "q")
    if "\x00" in raw:
        raise ValidationError("q must not contain NUL characters", "q")
    return tuple(raw.casefold().split()) or None
