"""PostgreSQL LISTEN: wake the bus when another process commits events, and hear credential
changes made anywhere (tokens revoked, users changed). SQLite has one process: nothing to hear."""
import asyncio
import logging

from server.services.record import eventlog
from server.services.people.auth import CREDENTIALS_CHANNEL, parse_announcement
from server.store import outage

log = logging.getLogger("tracker.push")


class Listener:
    def __init__(self, bus, db_url, on_credentials):
        """`on_credentials(token_id=None, user_id=None, close=False)`; with neither id, anything
        may have changed (the connection was away)."""
        self.bus = bus
        self.db_url = db_url
        self.on_credentials = on_credentials
        self._task = None

    def start(self):
        self._task = asyncio.ensure_future(self._run())

    def stop(self):
        if self._task is not None:
            self._task.cancel()

    async def _run(self):
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the safety poll covers the gap; reconnect after a pause
                if not outage.expected(exc, "event listener"):
                    log.warning("event LISTEN connection lost; reconnecting", exc_info=True)
                await asyncio.sleep(1)

    async def _listen(self):
        import psycopg  # only a PostgreSQL deployment needs it
        conn = await psycopg.AsyncConnection.connect(self.db_url, autocommit=True)
        async with conn:
            await conn.execute("LISTEN %s" % eventlog.CHANNEL)
            await conn.execute("LISTEN %s" % CREDENTIALS_CHANNEL)
            self.on_credentials(close=False)  # whatever changed while we were not listening
            self.bus.refresh()
            async for note in conn.notifies():
                self._heard(note)

    def _heard(self, note):
        if note.channel == CREDENTIALS_CHANNEL:
            token_id, user_id, close = parse_announcement(note.payload)
            self.on_credentials(token_id=token_id, user_id=user_id, close=close)
        elif int(note.payload) > self.bus.last_id:
            self.bus.refresh()
