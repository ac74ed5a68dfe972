"""One table of settings: (name, default, environment variable, help). docs/operations.md mirrors it."""
import os
import urllib.parse

SETTINGS = [
    ("db", "sqlite:///tracker.db", "TRACKER_DB",
     "Database URL: sqlite:///path or postgresql://user@host:port/name"),
    ("address", "127.0.0.1", "TRACKER_ADDRESS", "Address to listen on"),
    ("port", 8000, "TRACKER_PORT", "Port to listen on"),
    ("max_body_bytes", 65536, "TRACKER_MAX_BODY_BYTES",
     "Largest JSON request body accepted; larger bodies get 413 before parsing"),
    ("body_timeout_seconds", 30.0, "TRACKER_BODY_TIMEOUT",
     "A request body not received in full within this many seconds is cut off (slow senders)"),
    ("idle_connection_seconds", 120.0, "TRACKER_IDLE_CONNECTION_SECONDS",
     "A keep-alive connection with no request for this many seconds is closed"),
    ("max_connections_per_address", 256, "TRACKER_MAX_CONNECTIONS_PER_ADDRESS",
     "Open connections one client address may hold; more are closed at once (0: no cap; behind "
     "a proxy every client shares its address, so cap in the proxy)"),
    ("offline_after_seconds", 90, "TRACKER_OFFLINE_AFTER",
     "Seconds without a heartbeat after which an employee counts as OFFLINE"),
    ("login_max_failures", 5, "TRACKER_LOGIN_MAX_FAILURES",
     "Failed logins for one username from one address before that pair is throttled "
     "(counted in the database: all processes together)"),
    ("login_window_seconds", 900, "TRACKER_LOGIN_WINDOW",
     "Window in which failed logins are counted, and how long a throttle lasts"),
    ("session_idle_hours", 12, "TRACKER_SESSION_IDLE_HOURS",
     "Admin page sessions end after this many hours without a request"),
    ("auth_cache_seconds", 60.0, "TRACKER_AUTH_CACHE_SECONDS",
     "Longest a process trusts a cached token lookup; revocations reach every process at once anyway"),
    ("argon2_time_cost", 3, "TRACKER_ARGON2_TIME_COST", "argon2id passes (RFC 9106 low-memory profile)"),
    ("argon2_memory_kib", 65536, "TRACKER_ARGON2_MEMORY_KIB", "argon2id memory in KiB"),
    ("commit_batch_max", 64, "TRACKER_COMMIT_BATCH_MAX",
     "Most writes grouped into one durable commit"),
    ("xheaders", False, "TRACKER_XHEADERS",
     "Trust X-Real-IP / X-Forwarded-For (only behind a reverse proxy you run)"),
    ("metrics_allow", "127.0.0.1", "TRACKER_METRICS_ALLOW",
     "Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) that may read /metrics"),
    ("event_retention_hours", 168.0, "TRACKER_EVENT_RETENTION_HOURS",
     "Push events older than this are pruned; a client with an older cursor gets a reset"),
    ("push_ring_size", 2000, "TRACKER_PUSH_RING_SIZE",
     "Recent events kept in memory, so reconnecting clients catch up without a database read"),
    ("push_max_connections", 10000, "TRACKER_PUSH_MAX_CONNECTIONS",
     "Push connections (WebSockets and waiting long-polls) one process holds; more get 429"),
    ("push_max_connections_per_user", 20, "TRACKER_PUSH_MAX_PER_USER",
     "Push connections one user may hold at once; more get 429"),
    ("push_send_buffer_bytes", 262144, "TRACKER_PUSH_SEND_BUFFER",
     "Unsent bytes a WebSocket may queue; a consumer that falls further behind is disconnected"),
    ("push_ping_seconds", 25.0, "TRACKER_PUSH_PING_SECONDS",
     "Seconds between server pings to every WebSocket (keeps proxies open, finds dead peers)"),
    ("push_ping_timeout_seconds", 20.0, "TRACKER_PUSH_PING_TIMEOUT",
     "A WebSocket that has not answered a ping within this many seconds is closed"),
    ("push_poll_seconds", 1.0, "TRACKER_PUSH_POLL_SECONDS",
     "Safety poll of the event table (covers a lost PostgreSQL notification)"),
    ("webhook_allow_private", False, "TRACKER_WEBHOOK_ALLOW_PRIVATE",
     "Let webhooks target private, loopback and link-local addresses (tests, a receiver on the LAN)"),
    ("webhook_timeout_seconds", 10.0, "TRACKER_WEBHOOK_TIMEOUT",
     "Seconds a webhook receiver has to answer one delivery"),
    ("webhook_retry_seconds", 20.0, "TRACKER_WEBHOOK_RETRY_SECONDS",
     "First retry of a failed delivery after half to all of this; each further retry doubles it"),
    ("outbox_retention_days", 30.0, "TRACKER_OUTBOX_RETENTION_DAYS",
     "Delivered and failed webhook deliveries and mails older than this many days are pruned"),
    ("smtp_url", "", "TRACKER_SMTP_URL",
     "Mail server: smtp://user:pass@host:port, smtp+starttls://… or smtps://… (TLS); empty: no "
     "e-mail is queued"),
    ("smtp_from", "tracker@localhost", "TRACKER_SMTP_FROM", "From address of the mails sent"),
    ("public_url", "", "TRACKER_PUBLIC_URL",
     "This server's address as people reach it (e.g. https://tracker.example.com), for every absolute "
     "link: calendar feeds, mails, the webhooks page; the Host header is never used for one. Empty: "
     "http://address:port. (TRACKER_MAIL_BASE_URL, its older name, is still read)"),
    ("mail_retry_seconds", 30.0, "TRACKER_MAIL_RETRY_SECONDS",
     "First retry of a mail the SMTP server did not take after half to all of this; each further "
     "retry doubles it"),
    ("mail_check_seconds", 60.0, "TRACKER_MAIL_CHECK_SECONDS",
     "How often a process looks for tasks turning at risk or overdue, and for digests due"),
    ("digest_hour", 8, "TRACKER_DIGEST_HOUR",
     "Hour (0-23) from which the daily digest and the timesheet reminders are sent, in each "
     "recipient's own time zone"),
    ("mail_time_zone", "", "TRACKER_MAIL_TIME_ZONE",
     "IANA time zone (e.g. Europe/Berlin) of the mails to a person who chose none; empty: "
     "default_time_zone"),
    ("calendar_key", "", "TRACKER_CALENDAR_KEY",
     "Key the calendar feed URLs are derived from; empty: one generated and kept in the database"),
    ("time_lock_days", 7, "TRACKER_TIME_LOCK_DAYS",
     "Days after its start that the author may still correct or delete a time entry (admins: always)"),
    ("default_locale", "en", "TRACKER_DEFAULT_LOCALE",
     "Language of a user who chose none (en, de, fr, es, pt-BR, ja, ar)"),
    ("default_time_zone", "UTC", "TRACKER_DEFAULT_TIME_ZONE",
     "IANA time zone of a user who chose none (e.g. Europe/Berlin)"),
    ("desktop_download_url", "", "TRACKER_DESKTOP_DOWNLOAD_URL",
     "Where employees download the desktop app (a page or the installer, e.g. one `make "
     "desktop-bundle` built); shown to employees who open the dashboard. Empty: ask the admin"),
    ("demo", False, "TRACKER_DEMO", "Fill an empty database with a demo company"),
    ("demo_live", True, "TRACKER_DEMO_LIVE",
     "With demo on, keep the company working: presence heartbeats and some progress, on the demo's "
     "own tasks and as its own people only; pages say so in a banner (off: `--quiet`)"),
    ("demo_activity_seconds", 20.0, "TRACKER_DEMO_ACTIVITY_SECONDS",
     "With demo_live, about how often (seconds, ±30 %) a simulated employee reports progress"),
    ("gc_thresholds", "50000,20,100", "TRACKER_GC_THRESHOLDS",
     "The serving process's garbage collector (gc.set_threshold; Python's default 700,10,10): young "
     "collections after this many new objects, so a request's objects die young instead of being "
     "promoted and making the old generation's full collections frequent (docs/benchmarks.md)"),
    ("monitor_page_size", 60, "TRACKER_MONITOR_PAGE_SIZE",
     "Cards the live monitor draws at first and per \"Show more\" (a group a fifth of it, the "
     "table two and a half times as many rows); a card's updates are read when it is drawn"),
    ("stale_after_hours", 4.0, "TRACKER_STALE_AFTER_HOURS",
     "An IN_PROGRESS task without a report for this many hours while its owner is ACTIVE is stale"),
    ("stale_overdue_below", 25, "TRACKER_STALE_OVERDUE_BELOW",
     "An overdue task with progress below this percentage is stale"),
    ("stale_check_seconds", 60.0, "TRACKER_STALE_CHECK_SECONDS",
     "How often a serving process looks for tasks turning stale or fresh (and announces them)"),
    ("presence_detail", "full", "TRACKER_PRESENCE_DETAIL",
     "What presence is stored and shown: full (active / idle / offline), online (online / offline "
     "only: idle counts as online, statistics drop idle time) or off (nothing stored or shown; "
     "idle still stops a running timer)"),
    ("allow_pause", True, "TRACKER_ALLOW_PAUSE",
     "Let employees pause their presence (private time): admins see PAUSED, the timer stops, "
     "heartbeats store nothing"),
    ("retention_presence_days", "90", "TRACKER_RETENTION_PRESENCE_DAYS",
     "Presence intervals older than this many days are purged daily (empty: keep for good)"),
    ("retention_time_entries_days", "", "TRACKER_RETENTION_TIME_ENTRIES_DAYS",
     "Time entries that ended more than this many days ago are purged daily; task totals stay "
     "(empty: keep for good)"),
    ("retention_comments_days", "", "TRACKER_RETENTION_COMMENTS_DAYS",
     "Comments last written more than this many days ago are purged daily, with their revisions "
     "(empty: keep for good)"),
    ("max_daily_minutes", 600, "TRACKER_MAX_DAILY_MINUTES",
     "Working time per day above which a timesheet day is flagged (not refused)"),
    ("min_rest_minutes", 660, "TRACKER_MIN_REST_MINUTES",
     "Rest between two working days below which a timesheet day is flagged (not refused)"),
    ("holiday_country", "", "TRACKER_HOLIDAY_COUNTRY",
     "The company's country for public holidays (ISO code the holidays library knows, e.g. DE); "
     "a team's own country goes first; empty: no holidays"),
    ("holiday_region", "", "TRACKER_HOLIDAY_REGION",
     "The region within holiday_country (e.g. BY for Bavaria); empty: the country's nationwide holidays"),
    ("oidc_issuer", "", "TRACKER_OIDC_ISSUER",
     "OpenID Connect issuer URL (e.g. https://login.microsoftonline.com/<tenant>/v2.0); empty: no "
     "\"Sign in with …\" (docs/sign-in.md)"),
    ("oidc_client_id", "", "TRACKER_OIDC_CLIENT_ID", "The client ID registered at the provider"),
    ("oidc_client_secret", "", "TRACKER_OIDC_CLIENT_SECRET",
     "The client secret registered at the provider (never logged)"),
    ("oidc_display_name", "", "TRACKER_OIDC_DISPLAY_NAME",
     "Name on the sign-in button: \"Sign in with <name>\" (empty: the issuer)"),
    ("oidc_scopes", "openid email profile", "TRACKER_OIDC_SCOPES",
     "Scopes asked of the provider (space-separated; add the one that releases groups if needed)"),
    ("oidc_groups_claim", "groups", "TRACKER_OIDC_GROUPS_CLAIM",
     "Claim of the ID token (or userinfo) that lists the user's groups"),
    ("oidc_team_map", "", "TRACKER_OIDC_TEAM_MAP",
     "JSON {\"<group>\": {\"team\": \"<team name>\", \"role\": \"member|lead|viewer\"}}: team "
     "memberships set at each sign-in"),
    ("oidc_admin_groups", "", "TRACKER_OIDC_ADMIN_GROUPS",
     "Comma-separated groups whose members are ADMIN (set at each sign-in; empty: roles untouched)"),
    ("oidc_create_users", False, "TRACKER_OIDC_CREATE_USERS",
     "Create an EMPLOYEE at a first sign-in by someone the provider vouches for"),
    ("oidc_redirect_uri", "", "TRACKER_OIDC_REDIRECT_URI",
     "Redirect URI registered at the provider; empty: this server's address + /login/oidc/callback"),
    ("sso_only", False, "TRACKER_SSO_ONLY",
     "Refuse local passwords (web, API, desktop) except the break-glass owners'"),
    ("break_glass_users", "", "TRACKER_BREAK_GLASS_USERS",
     "Comma-separated owners who keep their local password with sso_only (and skip LDAP)"),
    ("ldap_url", "", "TRACKER_LDAP_URL",
     "LDAP server: ldaps://host:636 (TLS), ldap://host:389 (with ldap_starttls, or plain); empty: no "
     "directory"),
    ("ldap_starttls", False, "TRACKER_LDAP_STARTTLS", "Upgrade an ldap:// connection with StartTLS"),
    ("ldap_ca_file", "", "TRACKER_LDAP_CA_FILE",
     "CA certificate file the directory's TLS certificate is checked against (empty: the system's)"),
    ("ldap_bind_dn", "", "TRACKER_LDAP_BIND_DN",
     "DN the server searches the directory as (empty: anonymous search)"),
    ("ldap_bind_password", "", "TRACKER_LDAP_BIND_PASSWORD", "Password of ldap_bind_dn (never logged)"),
    ("ldap_user_base", "", "TRACKER_LDAP_USER_BASE",
     "Where users are searched, e.g. ou=people,dc=example,dc=com"),
    ("ldap_user_filter", "(uid={username})", "TRACKER_LDAP_USER_FILTER",
     "Filter that finds one user; {username} is replaced, escaped (Active Directory: "
     "(sAMAccountName={username}))"),
    ("ldap_group_base", "", "TRACKER_LDAP_GROUP_BASE",
     "Where groups (groupOfNames, groupOfUniqueNames, group) are searched; empty: no groups"),
    ("ldap_team_map", "", "TRACKER_LDAP_TEAM_MAP",
     "Like oidc_team_map, keyed by the group's CN"),
    ("ldap_admin_groups", "", "TRACKER_LDAP_ADMIN_GROUPS",
     "Comma-separated group CNs whose members are ADMIN (set at each sign-in; empty: roles untouched)"),
    ("ldap_timeout_seconds", 10.0, "TRACKER_LDAP_TIMEOUT",
     "Seconds the directory has to answer; past them the sign-in gets a clear 503"),
    ("require_2fa", "off", "TRACKER_REQUIRE_2FA",
     "Second factor for password sign-ins: off, admins (admins and owners) or everyone"),
    ("webauthn_rp_id", "", "TRACKER_WEBAUTHN_RP_ID",
     "Passkeys' relying party: the site's domain (e.g. tracker.example.com); empty: the host "
     "name each request was sent to"),
]


DEFAULTS = {name: default for name, default, _env, _help in SETTINGS}


def _coerce(default, raw):
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def from_env(environ=None, **overrides):
    """Settings from defaults, then the environment, then explicit overrides (not None)."""
    environ = os.environ if environ is None else environ
    values = {}
    for name, default, env, _help in SETTINGS:
        values[name] = _coerce(default, environ[env]) if env in environ else default
    if "TRACKER_PUBLIC_URL" not in environ and "TRACKER_MAIL_BASE_URL" in environ:
        values["public_url"] = environ["TRACKER_MAIL_BASE_URL"]  # the setting's older name
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values


def public_url(values):
    """The base of every absolute link, without a trailing slash; a malformed one stops the start."""
    url = (values["public_url"] or "http://%s:%s" % (values["address"], values["port"])).rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("public_url (TRACKER_PUBLIC_URL) must be an http:// or https:// address "
                         "such as https://tracker.example.com, not %r" % url)
    return url


def markdown_table():
    """The configuration table of docs/operations.md: `python -m server.settings`."""
    rows = ["| setting | environment | default | what |", "| --- | --- | --- | --- |"]
    rows += ["| `%s` | `%s` | `%s` | %s |" % (name, env, default, help_)
             for name, default, env, help_ in SETTINGS]
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
