"""X11: the X server's idle time and screen saver state (MIT-SCREEN-SAVER, libXss) via ctypes."""
import ctypes
import ctypes.util
import os


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [("window", ctypes.c_ulong), ("state", ctypes.c_int), ("kind", ctypes.c_int),
                ("til_or_since", ctypes.c_ulong), ("idle", ctypes.c_ulong),
                ("eventMask", ctypes.c_ulong)]


def _load():
    """(libX11, libXss) with their signatures set, or None where they are not installed."""
    x11_name, xss_name = ctypes.util.find_library("X11"), ctypes.util.find_library("Xss")
    if not x11_name or not xss_name:
        return None
    try:
        x11, xss = ctypes.cdll.LoadLibrary(x11_name), ctypes.cdll.LoadLibrary(xss_name)
    except OSError:
        return None
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
    xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                          ctypes.POINTER(_XScreenSaverInfo)]
    xss.XScreenSaverQueryExtension.argtypes = [
        ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)]
    return x11, xss


class X11Idle:
    """`read()` gives (idle seconds, screen saver or lock on), or None where X11 is not there.
    `display` is a name such as ":99" (default: $DISPLAY)."""
    name = "X11 screen saver extension"
    exact = True
    SCREEN_SAVER_ON = 1

    def __init__(self, display=None):
        self.display = None
        display = display or os.environ.get("DISPLAY")
        libs = _load() if display else None
        if libs is None:
            return
        self.x11, self.xss = libs
        handle = self.x11.XOpenDisplay(display.encode())
        if not handle:
            return
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self.xss.XScreenSaverQueryExtension(handle, ctypes.byref(event_base),
                                                   ctypes.byref(error_base)):
            self.x11.XCloseDisplay(handle)
            return
        self.display, self.root = handle, self.x11.XDefaultRootWindow(handle)
        self.info = self.xss.XScreenSaverAllocInfo()

    def read(self):
        if not self.display:
            return None
        if not self.xss.XScreenSaverQueryInfo(self.display, self.root, self.info):
            return None
        info = self.info.contents
        return info.idle / 1000.0, info.state == self.SCREEN_SAVER_ON

    def close(self):
        if self.display:
            self.x11.XCloseDisplay(self.display)
            self.display = None
