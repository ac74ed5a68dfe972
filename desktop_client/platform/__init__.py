"""What the app asks of the operating system: the idle-and-lock sources for the OS it runs on,
chosen once at start, and the system browser that signs in for it (browser.py, RFC 8252)."""
import logging
import os
import sys

log = logging.getLogger("tracker.desktop")


def session_type(environ):
    """"wayland", "x11" or "" from the variables a Linux desktop session sets."""
    kind = environ.get("XDG_SESSION_TYPE", "").lower()
    if kind in ("wayland", "x11"):
        return kind
    if environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "x11" if environ.get("DISPLAY") else ""


def system_sources(platform=None, environ=None):
    """The OS's own idle sources, best first (the app's own input is added by the caller as the
    last fallback). Under Wayland the X11 reading is skipped: XWayland sees only X clients'
    input, so it would call a person busy in a Wayland window idle."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    if platform == "win32":
        from .windows import WindowsIdle
        return _usable(WindowsIdle)
    if platform == "darwin":
        from .macos import MacIdle
        return _usable(MacIdle)
    from .dbus import DBusIdle
    if session_type(environ) == "wayland":
        return [DBusIdle()]
    from .x11 import X11Idle
    return [X11Idle(environ.get("DISPLAY")), DBusIdle()]


def _usable(source):
    """[source()], or [] when the OS library cannot be loaded (a stripped-down system): the app
    then falls back to its own input and says presence is approximate."""
    try:
        return [source()]
    except (OSError, AttributeError, TypeError) as exc:
        log.warning("%s unavailable: %s", source.name, exc)
        return []
