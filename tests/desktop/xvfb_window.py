"""Shows the real main window on an X server (QT_QPA_PLATFORM=xcb) signed in with a token, waits
until it is live with its cards, grabs the X screen where the window is, and saves the PNG; then
opens a card's history and says whether it stands beside the list ("apart") or over it, saving
the whole screen as OUT-history.png.
`python xvfb_window.py SERVER_URL TOKEN USER_JSON APP_DIR OUT.png`."""
import json
import sys

from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QApplication

from desktop_client.api import Client
from desktop_client.sync import LIVE, TaskManager
from desktop_client.views.main_window import MainWindow


def main(server, token, user_json, folder, out):
    app = QApplication(["tracker-desktop"])
    user = json.loads(user_json)
    manager = TaskManager(Client(server, token), folder, user["id"])
    window = MainWindow(manager, user)
    window.show_presence_source("X11 screen saver extension", True)
    window.resize(800, 1000)
    window.move(0, 0)
    window.show()
    manager.start()

    def ready():
        if window.history is not None:
            return history_ready()
        if manager.state != LIVE or not window.cards or not window.isVisible() or any(
                card.height() < card.minimumSizeHint().height() for card in window.cards.values()):
            return  # not laid out yet
        window.repaint()  # painted now, and sent to the X server before it is read back
        app.sync()
        app.processEvents()
        frame = window.frameGeometry()
        shot = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(),
                                              frame.height())
        print("saved" if shot.save(out) else "not saved", flush=True)
        window.open_history(next(iter(window.cards)))

    def history_ready():
        dialog = window.history
        if not dialog.isVisible() or dialog.table.rowCount() == 0:
            return
        timer.stop()
        app.processEvents()
        apart = not dialog.frameGeometry().intersects(window.frameGeometry())
        print("apart" if apart else "overlap", flush=True)
        app.primaryScreen().grabWindow(0).save(out.replace(".png", "-history.png"))
        app.quit()

    timer = QTimer()
    timer.timeout.connect(ready)
    timer.start(200)  # polls the window's own state, not a guess at how long things take
    code = app.exec_()
    manager.stop()
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
