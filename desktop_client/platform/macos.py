"""macOS: idle time and the screen lock from CoreGraphics (Quartz), through ctypes."""
import ctypes
import ctypes.util

COMBINED_SESSION_STATE = 0      # kCGEventSourceStateCombinedSessionState
ANY_INPUT_EVENT = 0xFFFFFFFF    # kCGAnyInputEventType
UTF8 = 0x08000100               # kCFStringEncodingUTF8
LOCKED_KEY = "CGSSessionScreenIsLocked"   # present and true while the lock screen shows
ON_CONSOLE_KEY = "kCGSSessionOnConsoleKey"  # false when another user has the screen


def _load():
    quartz = ctypes.cdll.LoadLibrary(ctypes.util.find_library("ApplicationServices"))
    cf = ctypes.cdll.LoadLibrary(ctypes.util.find_library("CoreFoundation"))
    quartz.CGEventSourceSecondsSinceLastEventType.argtypes = [ctypes.c_int32, ctypes.c_uint32]
    quartz.CGEventSourceSecondsSinceLastEventType.restype = ctypes.c_double
    quartz.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
    cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
    cf.CFStringCreateWithCString.restype = ctypes.c_void_p
    cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    cf.CFDictionaryGetValue.restype = ctypes.c_void_p
    cf.CFBooleanGetValue.argtypes = [ctypes.c_void_p]
    cf.CFBooleanGetValue.restype = ctypes.c_bool
    cf.CFRelease.argtypes = [ctypes.c_void_p]
    return quartz, cf


def is_locked(flags):
    """`flags`: the session dictionary's two booleans (None when a key is absent)."""
    return bool(flags.get(LOCKED_KEY)) or flags.get(ON_CONSOLE_KEY) is False


class MacIdle:
    """`read()` gives (idle seconds, locked). The OS calls come from `quartz` and `cf` (loaded
    here by default; a test passes objects with the same functions)."""
    name = "macOS CGEventSource"
    exact = True

    def __init__(self, quartz=None, cf=None):
        if quartz is None or cf is None:
            quartz, cf = _load()
        self.quartz, self.cf = quartz, cf

    def read(self):
        seconds = self.quartz.CGEventSourceSecondsSinceLastEventType(COMBINED_SESSION_STATE,
                                                                     ANY_INPUT_EVENT)
        if seconds is None or seconds < 0:
            return None
        return float(seconds), is_locked(self.session_flags())

    def session_flags(self):
        """{key: bool or None} for the two keys; {} when there is no GUI session."""
        session = self.quartz.CGSessionCopyCurrentDictionary()
        if not session:
            return {}
        try:
            return {key: self._boolean(session, key) for key in (LOCKED_KEY, ON_CONSOLE_KEY)}
        finally:
            self.cf.CFRelease(session)

    def _boolean(self, dictionary, key):
        name = self.cf.CFStringCreateWithCString(None, key.encode(), UTF8)
        try:
            value = self.cf.CFDictionaryGetValue(dictionary, name)
        finally:
            self.cf.CFRelease(name)
        return None if not value else bool(self.cf.CFBooleanGetValue(value))
