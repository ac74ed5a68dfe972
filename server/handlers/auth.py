"""POST /api/auth/token/ (login) and POST /api/auth/logout/."""
import asyncio

from ..store.models import User
from ..services import auth, validate
from ..services.errors import Unauthorized
from .base import ApiHandler


async def check_password(svc, username, password, address):
    """Throttle, then verify off the event loop. Returns the active User or raises."""
    svc.throttle.check(username, address)
    user = User.get_or_none(User.username == username)
    loop = asyncio.get_running_loop()
    ok = await loop.run_in_executor(svc.hash_pool, svc.hasher.verify,
                                    user.password_hash if user else None, password)
    if not ok or not user.is_active:
        svc.throttle.failed(username, address)
        raise Unauthorized("wrong username or password")
    svc.throttle.succeeded(username, address)
    return user


def parse_credentials(data):
    validate.require_object(data)
    username = validate.text(data, "username", 64, min_len=1, required=True)
    password = validate.text(data, "password", 256, min_len=1, required=True)
    return username, password


class TokenHandler(ApiHandler):
    access = None

    async def post(self):
        username, password = parse_credentials(self.json_body())
        user = await check_password(self.svc, username, password, self.request.remote_ip)
        token = await self.write_op(auth.issue_token, user)
        self.reply({"token": token, "user": auth.user_dict(user)})


class LogoutHandler(ApiHandler):
    async def post(self):
        await self.write_op(auth.revoke_token, self.token_row.id)
        self.svc.credentials_changed(token_id=self.token_row.id)
        self.set_status(204)
        self.finish()


routes = [
    (r"/api/auth/token/", TokenHandler),
    (r"/api/auth/logout/", LogoutHandler),
]
