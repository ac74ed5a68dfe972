"""Timer test helpers: times as the server takes them, and a wall clock a test moves."""
import datetime
import time

from desktop_client.timejournal import utc_now


def iso(value):
    """A naive UTC moment as the API takes it."""
    return value.replace(microsecond=0).isoformat() + "Z"


def ago(minutes):
    """Naive UTC, `minutes` before now (negative: after)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(
        minutes=minutes)


class Clock:
    """The moment the person acts, moved by the test: it starts `behind` in the past (both the
    wall clock and the monotonic reading), so that what the tracker sends later, measured on the
    real clocks, places each action that long ago. `skew` puts the device's wall clock off."""

    def __init__(self, behind=datetime.timedelta(hours=3), skew=datetime.timedelta(0)):
        self.now = utc_now() - behind + skew
        real = datetime.datetime.now(datetime.timezone.utc)  # the monotonic reading of self.now
        self.mono = time.monotonic() - (real - self.now + skew).total_seconds()

    def __call__(self):
        return self.now

    def monotonic(self):
        return self.mono

    def advance(self, **delta):
        step = datetime.timedelta(**delta)
        self.now += step
        self.mono += step.total_seconds()
        return self.now


def entries(api, task_id):
    return api.get("/api/task/%d/time-entries/" % task_id).json()["entries"]
