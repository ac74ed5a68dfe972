"""Timer test helpers: times as the server takes them, and a wall clock a test moves."""
import datetime

from desktop_client.timejournal import utc_now


def iso(value):
    """A naive UTC moment as the API takes it."""
    return value.replace(microsecond=0).isoformat() + "Z"


def ago(minutes):
    """Naive UTC, `minutes` before now (negative: after)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(
        minutes=minutes)


class Clock:
    """The desktop tracker's wall clock, moved by the test; it starts in the past, since the server
    refuses times in the future."""

    def __init__(self, behind=datetime.timedelta(hours=3)):
        self.now = utc_now() - behind

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)
        return self.now


def entries(api, task_id):
    return api.get("/api/task/%d/time-entries/" % task_id).json()["entries"]
