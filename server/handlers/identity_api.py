"""The sign-in API: the second factor (enrol with `POST /api/me/2fa/totp/`, confirm with a first
code, recovery codes once, turn off), an owner's reset of someone's second factor (audited), and
the owners' SCIM token."""
from ..services import users, validate
from ..services.identity.factors import totp
from ..services.identity.scim import token as scim_token
from .base import ApiHandler, path_id
from .refusals import ApiError


class TotpHandler(ApiHandler):
    async def post(self):
        self.json_body(optional=True)
        self.reply(await self.write_op(totp.begin, self.current_user), status=201)

    async def delete(self):
        await self.write_op(totp.remove, self.current_user.id, self.current_user.id)
        self.set_status(204)
        self.finish()


class TotpConfirmHandler(ApiHandler):
    async def post(self):
        data = self.json_body()
        validate.require_object(data)
        validate.only_fields(data, ("code",))
        code = validate.text(data, "code", 16, min_len=1, required=True)
        codes = await self.write_op(totp.confirm, self.current_user, code)
        self.reply({"recovery_codes": codes})


class SecondFactorResetHandler(ApiHandler):
    access = "admin"

    async def delete(self, user_id):
        if self.current_user.role != "OWNER":
            raise ApiError(403, "only an owner can reset a second factor")
        target = users.get_user(path_id(user_id))
        await self.write_op(totp.remove, target.id, self.current_user.id)
        self.set_status(204)
        self.finish()


class ScimTokenHandler(ApiHandler):
    access = "admin"

    async def post(self):
        self.json_body(optional=True)
        if self.current_user.role != "OWNER":
            raise ApiError(403, "only an owner can create the SCIM token")
        self.reply({"token": await self.write_op(scim_token.rotate, self.current_user)}, status=201)


routes = [
    (r"/api/admin/scim-token/", ScimTokenHandler),
    (r"/api/me/2fa/totp/", TotpHandler),
    (r"/api/me/2fa/totp/confirm/", TotpConfirmHandler),
    (r"/api/admin/users/([0-9]{1,12})/2fa/", SecondFactorResetHandler),
]
