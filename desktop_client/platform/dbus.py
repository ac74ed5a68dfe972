"""Linux without X11 (Wayland): idle time from GNOME's Mutter IdleMonitor or the freedesktop
ScreenSaver (KDE and others), the lock from logind's LockedHint, over D-Bus with QtDBus."""
from PyQt5.QtDBus import QDBus, QDBusConnection, QDBusMessage

TIMEOUT_MS = 500  # asked once a second on the GUI thread: a hung service must not freeze it

# (name shown, service, path, interface, method): each answers milliseconds of idle time.
IDLE_METHODS = (
    ("GNOME Mutter IdleMonitor", "org.gnome.Mutter.IdleMonitor",
     "/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "GetIdletime"),
    ("freedesktop ScreenSaver", "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
     "org.freedesktop.ScreenSaver", "GetSessionIdleTime"),
)
LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1/session/auto",
          "org.freedesktop.login1.Session", "LockedHint")
SCREENSAVER_ACTIVE = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                      "org.freedesktop.ScreenSaver", "GetActive")


def call(bus, service, path, interface, method, *args, timeout_ms=TIMEOUT_MS):
    """The reply's first value, or None when the service is absent, fails or is too slow."""
    message = QDBusMessage.createMethodCall(service, path, interface, method)
    if args:
        message.setArguments(list(args))
    reply = bus.call(message, QDBus.Block, timeout_ms)
    if reply.type() != QDBusMessage.ReplyMessage or not reply.arguments():
        return None
    value = reply.arguments()[0]
    return value.variant() if hasattr(value, "variant") else value


class DBusIdle:
    """`read()` gives (idle seconds, locked), or None when no idle service answers. `session` and
    `system` are QDBusConnections (default: the user's session bus and the system bus)."""
    exact = True

    def __init__(self, session=None, system=None):
        self.session = session if session is not None else QDBusConnection.sessionBus()
        self.system = system if system is not None else QDBusConnection.systemBus()
        self.method = None  # the idle method that answered last

    @property
    def name(self):
        return "%s (D-Bus)" % (self.method[0] if self.method else "D-Bus idle services")

    def read(self):
        idle_ms = self.idle_ms()
        if idle_ms is None:
            return None
        return idle_ms / 1000.0, self.locked()

    def idle_ms(self):
        methods = ([self.method] if self.method else []) + list(IDLE_METHODS)
        for method in methods:
            value = call(self.session, *method[1:]) if self.session.isConnected() else None
            if isinstance(value, int) and value >= 0:
                self.method = method
                return value
        self.method = None
        return None

    def locked(self):
        """logind's LockedHint (set by the GNOME and KDE lock screens), else whether the
        screen saver is showing; False when neither can tell."""
        service, path, interface, prop = LOGIND
        if self.system.isConnected():
            hint = call(self.system, service, path, "org.freedesktop.DBus.Properties", "Get",
                        interface, prop)
            if isinstance(hint, bool):
                return hint
        active = call(self.session, *SCREENSAVER_ACTIVE) if self.session.isConnected() else None
        return bool(active)
