"""Desktop test helpers: the wait budget and the real API client with a record of its answers."""
from desktop_client.api import Client, Unavailable

WAIT = 15000  # ms: generous, since a loaded 2-core CI box is slow; a passing test never waits it out


class RecordingClient(Client):
    """The desktop's own client; notes what each task list request got: 200, 304 or UNAVAILABLE,
    so a test can wait for a poll to have happened instead of sleeping."""
    UNAVAILABLE = "unavailable"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = []

    def employee_tasks(self, etag=None):
        try:
            body, tag = super().employee_tasks(etag)
        except Unavailable:
            self.answers.append(self.UNAVAILABLE)
            raise
        self.answers.append(304 if body is None else 200)
        return body, tag
