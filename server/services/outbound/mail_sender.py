"""The mail worker: sends the mail outbox over SMTP, and runs the sweep that queues the mails time
alone brings (at risk, overdue, the digest).

smtplib blocks, so every SMTP conversation runs on one worker thread of its own; the event loop
only awaits it. The database steps go through the writer like every other write."""
import asyncio
import concurrent.futures
import datetime
import email.message
import email.utils
import logging
import smtplib
import ssl
import urllib.parse

import tornado.ioloop

from server.services.outbound import mail, webhook_outbox as outbox
from server.store.times import utcnow
from server.store import outage

log = logging.getLogger("tracker.mail")
SMTP_TIMEOUT = 10.0  # seconds for each step of the conversation
SCHEMES = ("smtp", "smtp+starttls", "smtps")


def parse_smtp_url(url):
    """(scheme, host, port, user, password) of smtp_url; ValueError says what is wrong."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError("smtp_url (TRACKER_SMTP_URL) must look like smtp://user:pass@host:port "
                         "(or smtp+starttls://, smtps://); this one has scheme %r and host %r"
                         % (parts.scheme, parts.hostname))
    port = parts.port or (465 if parts.scheme == "smtps" else 587 if parts.scheme == "smtp+starttls" else 25)
    unquote = urllib.parse.unquote
    return (parts.scheme, parts.hostname, port, unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None)


def build_message(outgoing, sender):
    """The MIME message: plain text and HTML alternatives, one-click unsubscribe (RFC 8058), and
    a Message-ID that stays the same on every retry."""
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, outgoing.recipient, outgoing.subject
    created = outgoing.created_at.replace(tzinfo=datetime.timezone.utc)
    msg["Date"] = email.utils.format_datetime(created)
    domain = sender.rpartition("@")[2].strip("> ") or "localhost"
    msg["Message-ID"] = "<tracker-mail-%d-%d@%s>" % (outgoing.id, int(created.timestamp()), domain)
    if outgoing.unsubscribe_url:  # an invitation is a one-off: nothing to unsubscribe from
        msg["List-Unsubscribe"] = "<%s>" % outgoing.unsubscribe_url
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(outgoing.text_body)
    msg.add_alternative(outgoing.html_body, subtype="html")
    return msg


class SmtpTransport:
    """One SMTP connection per batch, on the calling (worker) thread."""

    def __init__(self, url, sender):
        self.scheme, self.host, self.port, self.user, self.password = parse_smtp_url(url)
        self.sender = sender

    def _connect(self):
        if self.scheme == "smtps":
            conn = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
            if self.scheme == "smtp+starttls":
                conn.starttls(context=ssl.create_default_context())
        if self.user:
            conn.login(self.user, self.password or "")
        return conn

    def send_all(self, batch):
        """[(mail id, error or "", permanent)] for each mail; never raises."""
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            error = "cannot reach the mail server: %s: %s" % (type(exc).__name__, exc)
            return [(item.id, error, False) for item in batch]
        outcomes = []
        try:
            for item in batch:
                outcomes.append(self._send(conn, item))
        finally:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                pass
        return outcomes + [(item.id, "connection lost", False) for item in batch[len(outcomes):]]

    def _send(self, conn, item):
        try:
            conn.send_message(build_message(item, self.sender))
            return item.id, "", False
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            return item.id, "refused %d: %s" % (code, _text(text)), code >= 500
        except smtplib.SMTPResponseException as exc:
            return item.id, "answered %d: %s" % (exc.smtp_code, _text(exc.smtp_error)), exc.smtp_code >= 500
        except (OSError, smtplib.SMTPException) as exc:
            return item.id, "%s: %s" % (type(exc).__name__, exc), False
        except (ValueError, TypeError, UnicodeError) as exc:  # a message that cannot be built
            return item.id, "cannot build the message: %s" % exc, True


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class Mailer:
    def __init__(self, writer, settings, config, clock=utcnow):
        self.writer, self.config, self.clock = writer, config, clock
        self.transport = SmtpTransport(settings["smtp_url"], settings["smtp_from"])
        self.retry_base = settings["mail_retry_seconds"]
        self.check_seconds = settings["mail_check_seconds"]
        self.owner = outbox.worker_name()
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="tracker-smtp")
        self._busy, self._started = False, False
        self._timers = []

    def observe(self, _items):
        """A bus observer: committed events may have queued mails."""
        self.wake()

    def wake(self):
        if self._started and not self._busy:
            self._busy = True
            asyncio.ensure_future(self._drain())

    def start(self, poll_seconds=1.0):
        self._started = True
        every = tornado.ioloop.PeriodicCallback
        self._timers = [every(self.wake, poll_seconds * 1000),
                        every(self.sweep, self.check_seconds * 1000, jitter=0.1)]
        for timer in self._timers:
            timer.start()
        self.sweep()  # what came due while the server was down
        self.wake()  # what a crash or a restart left queued

    def stop(self):
        self._started = False
        for timer in self._timers:
            timer.stop()
        self.pool.shutdown(wait=False)

    def sweep(self):
        asyncio.ensure_future(self._sweep())

    async def _sweep(self):
        try:
            if await self.writer.submit(mail.sweep, self.config, self.clock()):
                self.wake()
        except Exception as exc:
            if not outage.expected(exc, "mail sweep"):
                log.exception("the mail sweep failed; the next one tries again")

    async def _drain(self):
        try:
            while self._started:
                batch = await self.writer.submit(mail.claim, self.owner, self.clock())
                if not batch:
                    break
                loop = asyncio.get_running_loop()
                outcomes = await loop.run_in_executor(self.pool, self.transport.send_all, batch)
                await self.writer.submit(mail.record, self.owner, outcomes, self.clock(),
                                         self.retry_base)
                if any(error for _id, error, _permanent in outcomes):
                    log.warning("mail: %s", next(e for _i, e, _p in outcomes if e))
                    break  # the rest waits for its retry time
        except Exception as exc:  # the database is away: the next poll tries again
            if not outage.expected(exc, "mail outbox"):
                log.warning("mail outbox: %s", exc)
        finally:
            self._busy = False
