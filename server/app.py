"""make_app(settings): the one way to build the application, used by `python -m server` and the tests."""
import concurrent.futures
import logging
import os

import peewee as pw
import tornado.ioloop
import tornado.web

from server.store import database, migrations
from server.web.accesslog import AccessLog
from server.web.modules import ImportMap
from server.handlers.api import comments as comment_handlers
from server.handlers.api import (admin, auth as auth_handlers, events as push_handlers, export, integrations,
                                 meta, metrics as metrics_handlers, tasks as task_handlers,
                                 time as timeentries)
from server.handlers.pages import monitor as pages, webapp, webhooks as webhook_pages
from server.handlers.pages import unsubscribe as mail_pages
from server.handlers.pages.people import privacy as privacy_pages, users as user_pages
from server.handlers.api import dependencies
from server.handlers.api.timesheets import sheets as timesheet_handlers
from server.handlers.api.timesheets import absences as absence_handlers, reports as timereports
from server.handlers.pages.approvals import timesheets as approval_pages
from server.services.timesheets import reminders
from server.services.absences import holidays_of
from server.handlers.pages import dependencies as dependency_pages
from server.handlers.fallbacks import StaticHandler
from server.handlers import language as language_handlers
from server.handlers.notfound import NotFoundHandler
from server.services.monitor.board import TaskBoard
from server.push.bus import Bus
from server.push.caches import ListTags, TokenCache
from server.services.outbound.webhook_sender import Deliveries
from server.push.listener import Listener
from server.services.outbound.mail_sender import Mailer
from server.push.sockets import Caps, Sockets
from server.push.writer import Writer
from server.metrics import Metrics
from server.services.people import auth, presence as occupancy
from server.services.outbound import mail, webhook_outbox as outbox, webhooks
from server.services.record import eventlog
from server.services.time import entries as time_entries
from server.services.tasks import stale
from server.settings import from_env
from server.settings import public_url
from server.store.outage import OUTAGES
from server.handlers.api import privacy as privacy_handlers
from server.services.people import detail as privacy_presence
from server.services.privacy import retention as privacy_retention, watch as privacy_watch
from server.handlers.teams import admin_api as team_admin_api, api as team_api, pages as team_pages
from server.services.people import scope as scope_rule
from server.handlers.identity import (api as identity_api, desktop_signin, import_pages, passkey_login,
                                      security, sso)
from server.handlers.identity.scim import (base as scim, discovery as scim_discovery, groups as scim_groups,
                                           users as scim_users)
from server.services.identity.service import Identity
from server.services.language import catalogs

log = logging.getLogger("tracker")
PACKAGE = os.path.dirname(os.path.abspath(__file__))


def pages_folder(name):
    """templates/ or static/: inside the package once installed (`pip install .` puts them there,
    see pyproject.toml), else beside it in a checkout."""
    installed = os.path.join(PACKAGE, name)
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(PACKAGE), name)


def subscribe_consumers(mail_config):
    """What a change's own transaction also writes, subscribed by name (the services import none
    of it): the webhook outbox and the mails of each event, a timer stopped by IDLE or OFFLINE."""
    eventlog.consumers.subscribe("webhooks", webhooks.on_event)
    eventlog.consumers.subscribe("mail", mail.consumer(mail_config))  # None: no mail at all
    if reminders.sweep not in mail.SWEEPS:
        mail.SWEEPS.append(reminders.sweep)  # timesheet reminders ride on the mail sweep
    occupancy.away.subscribe("time", time_entries.stop_for_presence)


class Services:
    """What the handlers share, owned by one application (never module globals)."""

    def __init__(self, settings):
        self.settings = settings
        self.metrics = Metrics(settings)  # first: a bad metrics_allow stops the start here
        self.hasher = auth.PasswordHasher(settings["argon2_time_cost"], settings["argon2_memory_kib"])
        self.hash_pool = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="tracker-kdf")
        self.throttle = auth.LoginThrottle(settings["login_max_failures"],
                                           settings["login_window_seconds"])
        self.stale_policy = stale.policy_of(settings)
        self.public_url = public_url(settings)  # every absolute link; never the Host header
        settings["presence_detail"] = privacy_presence.detail_of(settings)  # a bad value stops here
        self.retention = privacy_retention.policy_of(settings)
        self.identity = Identity(settings)  # sign-in providers; a bad sign-in setting stops here
        self.mail_config = mail.config_of(settings)  # None without smtp_url: no mail at all
        subscribe_consumers(self.mail_config)
        self._push_path(settings)
        self.tokens = TokenCache(settings["auth_cache_seconds"])
        self.scopes = {}  # user id -> team scope (handlers/scoped.py); see teams_changed
        self.list_tags = ListTags(self.bus)
        self.board = TaskBoard(self.bus)
        self.background = []
        self.simulator = None  # with --demo: the demo company's simulated activity (server/demo.py)

    def _push_path(self, settings):
        """writer -> bus -> observers (sockets here; the caches and the board follow)."""
        self.bus = Bus(settings)
        self.bus.load()
        # After each durable commit, on the event loop: the events it wrote go to the fan-out.
        self.writer = Writer(settings["commit_batch_max"], on_commit=self.bus.committed,
                             observe=self.metrics.writer_group)
        self.caps = Caps(settings)
        self.sockets = Sockets(self.bus, settings)
        self.metrics.watch(self.sockets, self.writer, self.bus)
        self.listener = Listener(self.bus, settings["db"], self.credentials_changed)
        self.deliveries = Deliveries(self.writer, settings)  # the webhook outbox's sender
        self.metrics.watch_outbox(outbox_depths)
        self.metrics.watch_outages(OUTAGES)
        self.bus.observers.append(self.deliveries.observe)
        self.bus.observers.append(privacy_watch.erasures(self.credentials_changed))
        self.mailer = Mailer(self.writer, settings, self.mail_config) if self.mail_config else None
        if self.mailer:
            self.bus.observers.append(self.mailer.observe)
        # After the sockets: a team change reaches the readers it concerned, then scopes move.
        self.bus.observers.append(self.teams_changed)

    def teams_changed(self, items):
        """A team or membership changed: the held push connections' scopes follow at once."""
        if any(item.team is not None for item in items):
            self.scopes.clear()
            try:
                scope_rule.rescope(self.sockets.holders())
                self.sockets.regroup()
            except (pw.OperationalError, pw.InterfaceError):
                log.warning("could not re-read team scopes; connections keep the old ones")

    def credentials_changed(self, token_id=None, user_id=None, close=True):
        """A token was revoked or a user changed (here, or in another process; with neither id,
        anything may have: the LISTEN connection was away). Forget cached lookups and, with
        `close`, end the push sockets those credentials opened."""
        self.tokens.forget(token_id=token_id, user_id=user_id)  # neither: forget every token
        if user_id is not None:
            self.scopes.pop(user_id, None)  # a new role changes what they may see
        elif token_id is None:
            self.scopes.clear()
        if token_id is None:
            self.board.invalidate()  # names are in the task objects
        if close and (token_id is not None or user_id is not None):
            self.sockets.disconnect(token_id=token_id, user_id=user_id)

    def start(self):
        """The push path's timers (and PostgreSQL LISTEN); needs a running loop."""
        self.bus.start(self.writer)  # safety poll, pruning
        self.sockets.start()  # ping sweep
        if database.is_postgres():
            self.listener.start()
        self.deliveries.start(settings_poll(self.settings))
        if self.mailer:
            self.mailer.start(min(1.0, self.settings["mail_retry_seconds"] / 4))

    def close(self):
        for callback in self.background:
            callback.stop()
        self.listener.stop()
        self.deliveries.stop()
        if self.mailer:
            self.mailer.stop()
        self.sockets.stop()
        self.bus.stop()
        self.writer.close()
        self.hash_pool.shutdown(wait=False)
        self.identity.close()


def outbox_depths():
    with database.read_transaction():
        return {"webhook": outbox.depth(), "mail": mail.depth()}


def settings_poll(settings):
    """How often the webhook worker looks for retries that came due: often enough for the first
    retry's few seconds, never slower than a second."""
    return min(1.0, settings["webhook_retry_seconds"] / 4)


def open_db(url):
    """Connect, check durability, create or upgrade the schema."""
    database.open_database(url)
    database.db.connect(reuse_if_open=True)
    database.check_sqlite_durability()
    migrations.migrate()


def sweep_offline(svc):
    offline_after = svc.settings["offline_after_seconds"]
    return svc.writer.submit(lambda: occupancy.sweep(offline_after=offline_after))


def check_stale(svc):
    return svc.writer.submit(stale.check, None, svc.stale_policy)


def purge_retention(svc):
    """The daily purge of what is past its retention (services/privacy/retention.py)."""
    return svc.writer.submit(privacy_retention.purge, svc.retention)


def start_background(app, sweep_every_ms=15000):
    """Periodic work of a serving process: announce employees gone silent as OFFLINE, and tasks
    turning stale or fresh; then the push path's own timers."""
    every = tornado.ioloop.PeriodicCallback
    callback = every(lambda: sweep_offline(app.svc), sweep_every_ms)
    stale_check = every(lambda: check_stale(app.svc), app.svc.settings["stale_check_seconds"] * 1000)
    purge = every(lambda: purge_retention(app.svc), 24 * 3600 * 1000)
    app.svc.background = [callback, stale_check, purge]
    tornado.ioloop.IOLoop.current().add_callback(purge_retention, app.svc)  # and once at start
    for timer in app.svc.background:
        timer.start()
    app.svc.start()
    return callback


def make_app(settings=None, **overrides):
    """Open the settings' database, then build the services and the routes over it."""
    settings = from_env(**overrides) if settings is None else dict(settings, **overrides)
    open_db(settings["db"])
    holidays_of.configure(settings["holiday_country"], settings["holiday_region"])
    catalogs.load_all()  # a broken catalog stops the start, not a page
    svc = Services(settings)
    static = pages_folder("static")
    svc.modules = ImportMap(static, lambda name: StaticHandler.get_version({"static_path": static}, name))
    routes = (auth_handlers.routes + task_handlers.routes + admin.routes + export.routes
              + meta.routes + metrics_handlers.routes + push_handlers.routes + integrations.routes
              + webhook_pages.routes + webapp.routes + dependencies.routes
              + dependency_pages.routes + timeentries.routes + comment_handlers.routes
              + mail_pages.routes + privacy_pages.routes + user_pages.routes + privacy_handlers.routes
              + team_api.routes + team_admin_api.routes + team_pages.routes
              + timesheet_handlers.routes + absence_handlers.routes + timereports.routes
              + approval_pages.routes
              + sso.routes + identity_api.routes + security.routes + import_pages.routes
              + scim_discovery.routes + scim_users.routes + scim_groups.routes + scim.routes
              + passkey_login.routes + desktop_signin.routes
              + language_handlers.routes + pages.routes)
    app = tornado.web.Application(
        routes,
        services=svc,
        template_path=pages_folder("templates"),
        static_path=static,
        static_handler_class=StaticHandler,
        login_url="/login",
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": False, "samesite": "Strict"},
        cross_origin_protection=True,
        default_handler_class=NotFoundHandler,
        websocket_max_message_size=4096,
        compress_response=True,  # gzip, with Vary; the board's answers bring theirs (web/parts.py)
        log_function=svc.metrics.observing(AccessLog()),
    )
    svc.metrics.name_routes(routes + [(r"/static/(.*)", StaticHandler), ("unmatched", NotFoundHandler)])
    app.svc = svc
    return app
