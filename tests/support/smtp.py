"""A real SMTP server in the test process (aiosmtpd, on its own thread and free port), keeping every
message it accepted as a parsed email.message.EmailMessage."""
import email
import email.policy
import threading
import time

from aiosmtpd.controller import Controller

from .server import free_port, start_server

# Mail sent at once in tests: retries and the outbox's checks in fractions of a second.
FAST_MAIL = {"TRACKER_MAIL_RETRY_SECONDS": "0.2", "TRACKER_MAIL_CHECK_SECONDS": "0.3"}


class Mailbox:
    """Records what arrives; `refuse` lists recipients answered 550 (a permanent refusal)."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self.refuse = set()
        self.changed = threading.Condition()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=30, where=lambda message: True):
        """The first `count` messages that satisfy `where`, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [m for m in self.messages if where(m)]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                assert left > 0, "got %d of %d mails: %s" % (len(found), count,
                                                             [m["Subject"] for m in self.messages])
                self.changed.wait(left)

    def to(self, address):
        with self.changed:
            return [m for m in self.messages if m["To"] == address]

    def close(self):
        self.controller.stop()


def parts(message):
    """(plain text, HTML) of a message, with the wire's CRLF line ends as \n."""
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n")
                 for kind in ("plain", "html"))


def mailing_server(folder, mailbox, **env):
    """A real server that sends its mail to `mailbox` at once (FAST_MAIL), with `env` on top."""
    return start_server(folder, **dict(FAST_MAIL, TRACKER_SMTP_URL=mailbox.url, **env))
