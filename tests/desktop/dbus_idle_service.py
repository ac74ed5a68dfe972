"""Stands in for the compositor on a test bus: GNOME's IdleMonitor, the freedesktop ScreenSaver and
logind's session LockedHint, with QtDBus. The test sets the state through org.tracker.Test.Set.
`python dbus_idle_service.py ADDRESS [gnome|screensaver]...`: the services to offer (default both)."""
import sys

from PyQt5.QtCore import QCoreApplication, QObject, Q_CLASSINFO, pyqtProperty, pyqtSlot
from PyQt5.QtDBus import QDBusAbstractAdaptor, QDBusConnection

STATE = {"idle_ms": 0, "locked": False}


class Mutter(QDBusAbstractAdaptor):
    Q_CLASSINFO("D-Bus Interface", "org.gnome.Mutter.IdleMonitor")

    @pyqtSlot(result="qulonglong")
    def GetIdletime(self):
        return STATE["idle_ms"]


class ScreenSaver(QDBusAbstractAdaptor):
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.ScreenSaver")

    @pyqtSlot(result="uint")
    def GetSessionIdleTime(self):
        return STATE["idle_ms"]

    @pyqtSlot(result=bool)
    def GetActive(self):
        return STATE["locked"]


class Session(QDBusAbstractAdaptor):
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Session")

    @pyqtProperty(bool)
    def LockedHint(self):
        return STATE["locked"]


class Control(QDBusAbstractAdaptor):
    Q_CLASSINFO("D-Bus Interface", "org.tracker.Test")

    @pyqtSlot(int, bool)
    def Set(self, idle_ms, locked):
        STATE.update(idle_ms=idle_ms, locked=locked)


def export(bus, service, path, adaptor):
    owner = QObject()
    adaptor(owner)
    assert bus.registerObject(path, owner), path
    assert bus.registerService(service), service
    return owner


def main(address, offers):
    app = QCoreApplication([])
    bus = QDBusConnection.connectToBus(address, "stand-in")
    assert bus.isConnected(), bus.lastError().message()
    kept = [export(bus, "org.tracker.Test", "/", Control)]
    if "gnome" in offers:
        kept.append(export(bus, "org.gnome.Mutter.IdleMonitor",
                           "/org/gnome/Mutter/IdleMonitor/Core", Mutter))
        # The same bus stands in for the system bus too: logind is a GNOME/KDE desktop's lock.
        kept.append(export(bus, "org.freedesktop.login1", "/org/freedesktop/login1/session/auto",
                           Session))
    if "screensaver" in offers:
        kept.append(export(bus, "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                           ScreenSaver))
    print("ready", flush=True)
    return app.exec_()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:] or ["gnome", "screensaver"]))
