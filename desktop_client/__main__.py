"""`python -m desktop_client [--server URL] [--username NAME]`: parse the command line, sign in,
wire the layers together, run the Qt loop, and go OFFLINE on quit or SIGTERM."""
import argparse
import logging
import logging.handlers
import os
import signal
import socket
import sys

from PyQt5.QtCore import QLocale, QSocketNotifier, Qt
from PyQt5.QtWidgets import QApplication, QDialog

from . import language, storage
from .api import AuthRequired, Client, Refused, Unavailable
from .occupancy import AppInputIdle, OccupancyTracker, clamp_idle_after
from .platform import system_sources
from .sync import TaskManager
from .timejournal import utc_now
from .timer import TimeTracker
from .views.login_dialog import LoginDialog
from .views.main_window import MainWindow

log = logging.getLogger("tracker.desktop")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m desktop_client",
                                     description="Employee Progress Tracker desktop app")
    parser.add_argument("--server", help="server URL (default: the last one used, else "
                                         "http://127.0.0.1:8000)")
    parser.add_argument("--username", help="sign in as NAME; with TRACKER_PASSWORD set, "
                                           "no login dialog is shown")
    parser.add_argument("--poll-seconds", type=float, help="polling interval when push is "
                                                           "unavailable (default 5)")
    parser.add_argument("--idle-after", type=int, help="seconds without input before IDLE "
                                                       "(60-1800, default 180)")
    return parser.parse_args(argv)


def scripted_login(server, username, password, tokens):
    """--username with TRACKER_PASSWORD: sign in without a dialog; offline, reuse the saved token."""
    client = Client(server)
    try:
        return client, client.login(username, password)
    except Unavailable:
        saved = tokens.load()
        if saved and saved["server"] == server and saved["user"]["username"] == username:
            return Client(server, saved["token"]), saved["user"]
        raise


LOG_FILE = "tracker.log"
SIGN_OUT = 3  # the Qt loop's exit code when the user signed out: show the login dialog again
NEW_LANGUAGE = 4  # the person picked another language: the same session, built again in it


def setup_logging(folder):
    """To stderr and to a rotating file in the app folder, for support (3 x 1 MB at most).
    Nothing a user typed and no token is ever logged."""
    handler = logging.handlers.RotatingFileHandler(folder / LOG_FILE, maxBytes=1_000_000,
                                                   backupCount=3, encoding="utf-8")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        handlers=[logging.StreamHandler(), handler])


def sign_in(args, settings, tokens, fresh=False):
    """(client, user) or (None, None) when the user closed the dialog. `fresh`: after a sign-out,
    always ask (another person may be signing in)."""
    server = (args.server or settings["server"]).rstrip("/")
    password = os.environ.get("TRACKER_PASSWORD")
    if args.username and password and not fresh:
        return scripted_login(server, args.username, password, tokens)
    saved = None if fresh else tokens.load()
    if saved and saved["server"] == server and args.username in (None, saved["user"]["username"]):
        return Client(server, saved["token"]), saved["user"]  # offline start works too
    dialog = LoginDialog(server, "" if fresh else args.username or settings["username"])
    if dialog.exec_() != QDialog.Accepted:
        return None, None
    return dialog.client, dialog.user


def apply_language(app, settings):
    """The app's language: the person's pick in the app, else the OS language; Arabic mirrored."""
    system = QLocale.system().uiLanguages() + [QLocale.system().name()]
    language.current.use(language.choose(settings["language"], system), settings["time_zone"])
    app.setLayoutDirection(Qt.RightToLeft if language.current.direction == "rtl" else Qt.LeftToRight)


def pick_language(app, client, settings, code):
    """Keep the pick here and on the account (mails and the web app follow), then start over."""
    settings.update(language=code)
    try:
        client.request("PATCH", "/api/me/", {"locale": code}, timeout=(2, 5))
    except (Unavailable, AuthRequired, Refused) as exc:
        log.info("language not told to the server: %s", exc)
    app.exit(NEW_LANGUAGE)


def learn_zone(me, settings):
    """The person's time zone from the server (the last one known when it does not answer)."""
    zone = (me or {}).get("time_zone")
    if zone and zone != settings["time_zone"]:
        settings.update(time_zone=zone)
    language.current.set_zone(settings["time_zone"])


def relogin(manager, tokens, window):
    """A 401: ask for the password again; the outbox waits meanwhile."""
    client = manager.client
    dialog = LoginDialog(client.base_url, window.user.get("username", ""),
                         language._("Your session has ended. Sign in again; unsent updates are kept."),
                         window)
    if dialog.exec_() == QDialog.Accepted:
        tokens.save(client.base_url, dialog.client.token, dialog.user)
        manager.set_token(dialog.client.token)


def quit_on_signals(app):
    """SIGTERM (log-out, shutdown) and SIGINT quit through Qt, so OFFLINE is still sent."""
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: app.quit())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Read, app)
    notifier.activated.connect(lambda _fd: reader.recv(64))
    app._signal_sockets = (reader, writer, notifier)  # keep them alive with the app


def run_session(app, client, user, folder, settings, tokens, args):
    """One signed-in user's window until quit (0) or sign-out (SIGN_OUT)."""
    idle_after = clamp_idle_after(args.idle_after or settings["idle_after_seconds"])
    settings.update(server=client.base_url, username=user["username"], idle_after_seconds=idle_after)
    me = client.profile()
    user = dict(user, dashboard_url=client.dashboard_url(me=me))  # leads, viewers: "Open dashboard"
    learn_zone(me, settings)
    manager = TaskManager(client, folder, user["id"],
                          poll_seconds=args.poll_seconds or settings["poll_seconds"])
    window = MainWindow(manager, user, settings=settings)
    app_input = AppInputIdle()
    app.installEventFilter(app_input)
    tracker = OccupancyTracker(client, system_sources() + [app_input], idle_after=idle_after)
    tracker.state_changed.connect(window.show_occupancy)
    tracker.source_changed.connect(window.show_presence_source)
    tracker.source_changed.connect(lambda name, exact: log.info("presence from %s", name))
    tracker.state_changed.connect(lambda state: setattr(manager, "occupancy_status", state))
    manager.auth_required.connect(lambda: relogin(manager, tokens, window))
    window.sign_out_requested.connect(lambda: app.exit(SIGN_OUT))
    window.header.language_requested.connect(lambda code: pick_language(app, client, settings, code))
    timer = track_time(client, folder, user, manager, tracker, window)
    window.show()
    manager.start()
    tracker.start()
    timer.start()
    code = app.exec_()
    window.save_geometry()
    timer.quit()
    tracker.go_offline()
    manager.stop()
    app.removeEventFilter(app_input)
    if code == SIGN_OUT:
        window.hide()
        sign_out(client, tokens)
    return code


def track_time(client, folder, user, manager, occupancy, window, clock=utc_now):
    """The timer: presence stops it and closes a crashed one, push keeps it in step with other
    devices, and the journal is sent whenever the server answers."""
    timer = TimeTracker(client, folder, user["id"], clock=clock)
    occupancy.reported.connect(timer.on_presence)
    manager.time_event.connect(timer.on_event)
    manager.connection_changed.connect(timer.wake)
    # One outbox: the header's "N unsent" counts timer changes too.
    timer.changed.connect(lambda: window.show_connection(manager.state, manager.unsent()))
    window.attach_timer(timer)
    return timer


def sign_out(client, tokens):
    """End the token on the server (best effort: offline, it expires by itself) and forget it."""
    try:
        client.logout()
    except (Unavailable, AuthRequired, Refused) as exc:
        log.info("sign-out not told to the server: %s", exc)
    tokens.clear()


def main(argv=None):
    args = parse_args(argv)
    folder = storage.app_dir()
    setup_logging(folder)
    storage.remove_stale_temp_files(folder)
    settings, tokens = storage.Settings(folder), storage.TokenStore(folder)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Progress Tracker")
    app.setQuitOnLastWindowClosed(True)
    quit_on_signals(app)
    fresh, session = False, None
    while True:
        apply_language(app, settings)
        if session is None:
            try:
                session = sign_in(args, settings, tokens, fresh)
            except (Unavailable, AuthRequired, Refused) as exc:
                print("cannot sign in: %s" % exc, file=sys.stderr)
                return 2
            if session[0] is None:
                return 1
            tokens.save(session[0].base_url, session[0].token, session[1])
        code = run_session(app, *session, folder, settings, tokens, args)
        if code not in (SIGN_OUT, NEW_LANGUAGE):
            return 0
        fresh, session = code == SIGN_OUT, None if code == SIGN_OUT else session


if __name__ == "__main__":
    sys.exit(main())
