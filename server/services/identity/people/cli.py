"""`python -m server import-users FILE.csv [--dry-run]`: every row's errors printed, nothing
imported unless every row is valid; exit 0 imported (or would import), 1 refused, 2 unreadable."""
import sys

from ....store.database import db
from ... import mail
from ...errors import ValidationError
from . import csv_import
from ..config import invites


def report(result, out):
    for row in result["rows"]:
        if row["errors"]:
            print("line %d (%s): %s" % (row["line"], row["username"] or "no username",
                                        "; ".join(row["errors"])), file=out)
        else:
            print("line %d: %s %s" % (row["line"], row["action"], row["username"]), file=out)


def cmd_import_users(settings, args):
    from .... import app as app_mod
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
    report(result, sys.stdout if result["valid"] else sys.stderr)
    if not result["valid"]:
        print("nothing imported: fix the rows above and run again", file=sys.stderr)
        return 1
    if args.dry_run:
        print("dry run: nothing changed", file=sys.stdout)
    else:
        print("imported: %d created, %d updated" % (result["created"], result["updated"]))
    return 0
