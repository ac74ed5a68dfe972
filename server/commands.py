"""The commands of `python -m server` beyond serving (parsed in __main__): erase-user and purge
(privacy), and import-users: every row's errors printed, nothing imported unless every row is
valid; exit 0 imported (or would import), 1 refused, 2 unreadable."""
import sys

from server.store.database import db
from server.services.core.errors import ServiceError, ValidationError
from server.services.identity.config import invites
from server.services.identity.people import csv_import
from server.services.outbound import mail
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


def report_import(result, out):
    for row in result["rows"]:
        if row["errors"]:
            print("line %d (%s): %s" % (row["line"], row["username"] or "no username",
                                        "; ".join(row["errors"])), file=out)
        else:
            print("line %d: %s %s" % (row["line"], row["action"], row["username"]), file=out)


def cmd_import_users(settings, args):
    from server import app as app_mod
    app_mod.open_db(settings["db"])
    try:
        with open(args.file, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        print("error: cannot read %s: %s" % (args.file, exc), file=sys.stderr)
        return 2
    config = mail.config_of(settings)
    try:
        with db.atomic():
            if args.dry_run:
                result = csv_import.public(csv_import.plan(text))
            else:
                result = csv_import.apply(text, base_url=config and config.base_url,
                                          invite=invites(settings))
    except ValidationError as exc:
        print("error: %s" % exc.message, file=sys.stderr)
        return 2
    report_import(result, sys.stdout if result["valid"] else sys.stderr)
    if not result["valid"]:
        print("nothing imported: fix the rows above and run again", file=sys.stderr)
        return 1
    if args.dry_run:
        print("dry run: nothing changed", file=sys.stdout)
    else:
        print("imported: %d created, %d updated" % (result["created"], result["updated"]))
    return 0
