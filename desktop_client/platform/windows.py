"""Windows: idle time from GetLastInputInfo, the lock from OpenInputDesktop, through ctypes."""
import ctypes

DESKTOP_SWITCHDESKTOP = 0x0100


class LASTINPUTINFO(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]


def idle_seconds(tick_now, last_input_tick):
    """Both are GetTickCount values, 32-bit milliseconds that wrap every 49.7 days."""
    return ((tick_now - last_input_tick) & 0xFFFFFFFF) / 1000.0


def _load():
    user32, kernel32 = ctypes.WinDLL("user32"), ctypes.WinDLL("kernel32")  # only on Windows
    user32.GetLastInputInfo.argtypes = [ctypes.POINTER(LASTINPUTINFO)]
    user32.GetLastInputInfo.restype = ctypes.c_int
    user32.OpenInputDesktop.argtypes = [ctypes.c_uint, ctypes.c_int, ctypes.c_uint]
    user32.OpenInputDesktop.restype = ctypes.c_void_p
    user32.CloseDesktop.argtypes = [ctypes.c_void_p]
    kernel32.GetTickCount.restype = ctypes.c_uint32
    return user32, kernel32


class WindowsIdle:
    """`read()` gives (idle seconds, locked). The OS calls come from `user32` and `kernel32`
    (loaded here by default; a test passes objects with the same functions)."""
    name = "Windows GetLastInputInfo"
    exact = True

    def __init__(self, user32=None, kernel32=None):
        if user32 is None or kernel32 is None:
            user32, kernel32 = _load()
        self.user32, self.kernel32 = user32, kernel32

    def read(self):
        info = LASTINPUTINFO(ctypes.sizeof(LASTINPUTINFO), 0)
        if not self.user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        return idle_seconds(self.kernel32.GetTickCount(), info.dwTime), self.locked()

    def locked(self):
        """The input desktop cannot be opened while the lock screen (Winlogon's secure desktop)
        has it: that is the lock, read without a window to receive WTS notifications."""
        desktop = self.user32.OpenInputDesktop(0, False, DESKTOP_SWITCHDESKTOP)
        if not desktop:
            return True
        self.user32.CloseDesktop(desktop)
        return False
