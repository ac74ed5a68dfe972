"""The window's side of the timer: the header's clock ticking each second, each card's Start/Stop,
refused timer changes shown with the server's reason, the question on return from idle."""
from PyQt5.QtCore import QObject, QTimer
from PyQt5.QtWidgets import QSystemTrayIcon

from .idle_dialog import IdleDialog


class TimerView(QObject):
    def __init__(self, window, tracker):
        super().__init__(window)
        self.window, self.tracker, self.idle_dialog = window, tracker, None
        tracker.changed.connect(self.show)
        tracker.refused.connect(self.show_refusal)
        tracker.idle_question.connect(self.ask_idle)
        window.header.timer_stop_requested.connect(tracker.stop_timer)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.show)
        self._tick.start(1000)
        self.show()

    def title(self, task_id):
        task = next((t for t in self.window._all if t["id"] == task_id), None)
        return task["title"] if task else "task %d" % task_id

    def show(self):
        run = self.tracker.running()
        header = self.window.header
        header.show_timer(self.title(run["task_id"]) if run else None, self.tracker.elapsed_seconds())
        header.show_today(self.tracker.today_seconds())
        for task_id, card in self.window.cards.items():
            running = run is not None and run["task_id"] == task_id
            if card.timer_running != running:
                card.show_timer(running)

    def show_refusal(self, op):
        what = {"start": "Starting the timer on", "stop": "Stopping the timer on"}.get(
            op["op"], "Time recorded on")
        self.window.show_toast("%s “%s” was refused: %s" % (what, self.title(op["task_id"]),
                                                            op["refused_reason"]))
        if self.window.tray is not None:
            self.window.tray.showMessage("Timer refused", self.window.toast.text(),
                                         QSystemTrayIcon.Warning)
        self.tracker.dismiss_refused(op)

    def ask_idle(self, span):
        """Back from an idle period that stopped the timer: were those minutes work?"""
        self.idle_dialog = IdleDialog(span, self.title(span["task_id"]), self.window)
        self.idle_dialog.accepted.connect(lambda: self.tracker.keep_idle(span))
        self.idle_dialog.open()
