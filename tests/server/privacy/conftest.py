"""Privacy tests: Qt offscreen for the desktop ones (set before any QApplication exists)."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if not os.environ.get("XDG_RUNTIME_DIR"):  # Qt wants one; CI containers often have none
    os.environ["XDG_RUNTIME_DIR"] = "/tmp/runtime-%d" % os.getuid()
    os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
