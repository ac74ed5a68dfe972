"""python -m server [serve] | adduser | verify-audit | backup: parses options, nothing more
(and says what a `--demo` server runs)."""
import argparse
import asyncio
import gc
import getpass
import logging
import os
import signal
import sys

from server import settings as settings_mod

COMMANDS = ("serve", "adduser", "verify-audit", "backup", "erase-user", "purge")
UNREACHABLE = 3  # every command: the database could not be reached (down, full, locked, read-only)


def common_options(parser, suppress=False):
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", default=default,
                        help="database URL (sqlite:///path or postgresql://...); env TRACKER_DB; "
                             "default sqlite:///tracker.db")


def serve_options(parser, suppress=False):
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--port", type=int, default=default, help="port (default 8000)")
    parser.add_argument("--address", default=default, help="address (default 127.0.0.1)")
    parser.add_argument("--demo", action="store_true", default=argparse.SUPPRESS if suppress else False,
                        help="fill an empty database with a demo company and print the logins")
    parser.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS if suppress else False,
                        help="with --demo: no simulated activity (the demo company holds still)")


def program_name(argv0=None):
    """What the person typed: `tracker-server` once installed, `python -m server` in a checkout."""
    name = os.path.basename(argv0 if argv0 is not None else sys.argv[0])
    return "python -m server" if name in ("__main__.py", "") else name


def build_parser():
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description="Employee Progress Tracker server. Without a command: serve.")
    common_options(parser)
    serve_options(parser)
    sub = parser.add_subparsers(dest="command",
                                metavar="{serve,adduser,verify-audit,backup,erase-user,purge,import-users}")
    serve = sub.add_parser("serve", help="serve the API, the push channel and the admin pages")
    common_options(serve, suppress=True)
    serve_options(serve, suppress=True)
    add = sub.add_parser("adduser", help="create a user (prompts for the password if not given)")
    common_options(add, suppress=True)
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, choices=("EMPLOYEE", "ADMIN", "OWNER"))
    add.add_argument("--full-name", default="")
    add.add_argument("--password", help="the password (prompted for when omitted)")
    add.add_argument("--email", help="where notification mail goes (optional)")
    verify = sub.add_parser("verify-audit", help="check the audit trail's hash chain: exit 0 if intact, 1 if "
                            "not, 3 if the database cannot be reached")
    common_options(verify, suppress=True)
    copy = sub.add_parser("backup", help="copy a SQLite database while it serves, then verify the copy: "
                                         "exit 0 verified, 1 audit trail broken, 2 refused (nothing written), "
                                         "3 database unreachable")
    common_options(copy, suppress=True)
    copy.add_argument("path", metavar="PATH", help="the new file (never overwritten)")
    copy.add_argument("--pages", type=int, default=1024, help="pages copied per step (default 1024)")
    erase = sub.add_parser("erase-user", help="erase a person (GDPR Art. 17): name, e-mail, notes, comments, "
                                              "presence and tokens; counts and totals stay")
    common_options(erase, suppress=True)
    erase.add_argument("username", metavar="USERNAME")
    purge = sub.add_parser("purge", help="remove presence, time entries and comments past their retention")
    common_options(purge, suppress=True)
    imp = sub.add_parser("import-users", help="create and update users from a CSV file (username, "
                         "full_name, email, role, teams): all rows or none; exit 1 if any is bad")
    common_options(imp, suppress=True)
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--dry-run", action="store_true", help="check and show, change nothing")
    return parser


def configure_logging():
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def cmd_verify(settings):
    from server import app as app_mod
    from server.services.record import audit
    app_mod.open_db(settings["db"])
    ok, count, bad_id, why, redacted = audit.verify_counting()
    if ok:
        print("audit trail intact: %d rows, %d of them redacted by erasure" % (count, redacted))
        return 0
    print("audit trail BROKEN at row %d: %s" % (bad_id, why))
    return 1


def cmd_backup(settings, args):
    from server.services.record import audit
    from server.store import backup
    try:
        backup.backup(settings["db"], args.path, pages=args.pages)
    except backup.Refused as exc:
        print("backup refused: %s" % exc, file=sys.stderr)
        return backup.REFUSED
    ok, count, bad_id, why = backup.verify_copy(args.path, audit.verify)
    if ok:
        print("backup written to %s; audit trail intact: %d rows" % (args.path, count))
        return backup.VERIFIED
    print("backup written to %s, but its audit trail is BROKEN at row %d: %s" % (args.path, bad_id, why))
    return backup.BROKEN


def cmd_adduser(settings, args):
    from server import app as app_mod
    from server.store.database import db
    from server.services.people import auth, passwords
    from server.services.core.errors import ServiceError
    app_mod.open_db(settings["db"])
    password = args.password
    if password is None:
        print(passwords.RULE, file=sys.stderr)
        password = getpass.getpass("Password for %s: " % args.username)
        if password != getpass.getpass("Repeat: "):
            print("passwords differ", file=sys.stderr)
            return 2
    try:
        fields = auth.validate_new_user({"username": args.username, "full_name": args.full_name,
                                         "role": args.role, "password": password,
                                         "email": args.email}, "OWNER")
        hasher = auth.PasswordHasher(settings["argon2_time_cost"], settings["argon2_memory_kib"])
        with db.atomic():
            user = auth.create_user(args.username, args.full_name, args.role,
                                    passwords.checked_hash(hasher, password, passwords.context(
                                        args.username, args.full_name, fields["email"])),
                                    fields["email"])
    except ServiceError as exc:
        print("error: %s" % exc.message, file=sys.stderr)
        return 2
    print("created %s %s (id %d)" % (user.role, user.username, user.id))
    return 0


def tune_collector(thresholds):
    """A server holding thousands of sockets keeps ~500,000 objects that live for hours; with
    Python's thresholds every request's objects outlived two young collections, the old
    generation's share of new objects passed a quarter every few seconds, and each full
    collection walked all of them (0.3-1.5 s with the event loop stopped, docs/benchmarks.md)."""
    gc.set_threshold(*(int(value) for value in thresholds.split(",")))


def cmd_serve(settings):
    from server import app as app_mod
    from server.web.connections import make_server

    async def main():
        app = app_mod.make_app(settings)
        if settings["demo"]:
            seed_demo(app)
        server = make_server(app, settings)
        server.listen(settings["port"], settings["address"])
        app_mod.start_background(app)
        gc.freeze()  # what start-up made (modules, templates, the app) is never garbage: not walked
        print("Employee Progress Tracker on http://%s:%d/" % (settings["address"], settings["port"]),
              file=sys.stderr, flush=True)
        if settings["demo"] and settings["demo_live"]:
            start_simulator(app)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        server.stop()
        app.svc.close()

    tune_collector(settings["gc_thresholds"])
    asyncio.run(main())
    return 0


def seed_demo(app):
    """Fill an empty database with the demo company; print its logins (again, on a database an
    earlier --demo run filled)."""
    from server import demo
    logins = demo.seed_if_empty(app.svc.hasher, stale_policy=app.svc.stale_policy)
    if logins:
        print_logins(logins, "Demo company ready. Log in with:")
    elif demo.has_demo():
        print_logins(demo.logins(), "Demo company (from an earlier run). Log in with "
                                    "(unless a password was changed since):")


def start_simulator(app):
    from server.demo import Simulator
    app.svc.simulator = Simulator(app.svc, progress_every=app.svc.settings["demo_activity_seconds"])
    app.svc.simulator.start()
    print("Demo: simulated activity is running: the demo's employees report progress on the demo's "
          "own tasks now and then; never on tasks you create, never as someone you signed in as. "
          "Start with --quiet (make run ARGS=--quiet) to switch it off.", file=sys.stderr, flush=True)


def print_logins(logins, heading):
    print(heading, file=sys.stderr)
    for role, username, password in logins:
        print("  %-8s %-12s password: %s" % (role, username, password), file=sys.stderr)
    sys.stderr.flush()


def main(argv=None):
    args = build_parser().parse_args(argv)
    configure_logging()
    overrides = {"db": args.db}
    if args.command in (None, "serve"):
        overrides.update(port=args.port, address=args.address, demo=args.demo or None,
                         demo_live=False if args.quiet else None)
    settings = settings_mod.from_env(**overrides)
    from server.store import outage
    from server.store.migrations import Refused
    try:
        if args.command == "verify-audit":
            return cmd_verify(settings)
        if args.command == "adduser":
            return cmd_adduser(settings, args)
        if args.command == "backup":
            return cmd_backup(settings, args)
        if args.command in ("erase-user", "purge", "import-users"):
            from server import commands
            if args.command == "purge":
                return commands.purge(settings)
            if args.command == "import-users":
                return commands.cmd_import_users(settings, args)
            return commands.erase_user(settings, args.username)
        return cmd_serve(settings)
    except Refused as exc:  # the database needs a person's decision before it can be upgraded
        print("error: %s" % exc, file=sys.stderr)
        return 2
    except outage.OUTAGE_ERRORS as exc:  # "down" is not "tampered": one line, its own exit code
        print("error: database %s: %s" % (outage.kind_of(exc) or "unavailable", outage.first_line(exc)),
              file=sys.stderr)
        return UNREACHABLE


if __name__ == "__main__":
    sys.exit(main())
