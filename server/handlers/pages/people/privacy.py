"""The owner's erasure on the People page: pick the person, type their username to confirm."""
import asyncio

from server.services.core.errors import Forbidden, ServiceError, ValidationError
from server.services.privacy import erasure
from server.services.people import users
from server.handlers.pages.people.users import HOME, PeoplePage
from server.services.language.text import _l


async def erase_and_compact(svc, user_id):
    """Erase in one write transaction, then rebuild the SQLite file off the event loop."""
    redacted = await svc.writer.submit(erasure.erase, user_id)
    svc.credentials_changed(user_id=user_id, close=True)
    await asyncio.get_running_loop().run_in_executor(svc.hash_pool, erasure.compact)
    return redacted


def check_confirmation(target, typed):
    if typed != target.username:
        raise ValidationError(_l("type the username %(username)s exactly to confirm the erasure",
                                 username=target.username), "confirm")


class ErasePage(PeoplePage):
    """POST only: erase a person (owners)."""

    async def post(self):
        try:
            if self.current_user.role != "OWNER":
                raise Forbidden(_l("only an owner may erase a person"))
            raw = self.form("user_id")
            if not raw.isdigit():
                raise ValidationError(_l("choose the person to erase"), "erase")
            target = users.get_user(int(raw))
            check_confirmation(target, self.form("confirm"))
            await erase_and_compact(self.svc, target.id)
        except ServiceError as exc:
            return self.refused(exc, {"erase": self.form("user_id")}, editing=None)
        self.redirect(HOME + "?done=erased")


routes = [
    (r"/dashboard/users/erase/", ErasePage),
]
