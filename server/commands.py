"""The privacy commands of `python -m server`: erase-user and purge (parsed in __main__)."""
import sys

from server.store.database import db
from server.services.core.errors import ServiceError
from server.services.privacy import erasure, retention


def erase_user(settings, username):
    """Erase one person while the server may run; exit 0 done, 2 refused (nothing changed)."""
    from server import app as app_mod
    app_mod.open_db(settings["db"])
    try:
        with db.atomic():
            user = erasure.find(username)
            redacted = erasure.erase(user.id)
    except ServiceError as exc:
        print("error: %s" % exc.message, file=sys.stderr)
        return 2
    erasure.compact()
    print("erased user id %d (now erased-%d): %d audit rows redacted; counts, progress and "
          "time totals kept" % (user.id, user.id, redacted))
    return 0


def purge(settings):
    """Remove what is older than the retention settings; exit 0."""
    from server import app as app_mod
    app_mod.open_db(settings["db"])
    policy = retention.policy_of(settings)
    with db.atomic():
        removed = retention.purge(policy)
    print(retention.describe(removed))
    return 0
