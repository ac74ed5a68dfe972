"""The sign-in API: the second factor (enrol with `POST /api/me/2fa/totp/`, confirm with a first
code, recovery codes once, turn off), an owner's reset of someone's second factor (audited), and
the owners' SCIM token."""
from server.services.people import auth, users
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.identity import desktop
from server.services.identity.factors import passkeys, totp
from server.services.identity.scim import token as scim_token
from server.handlers.pages.login import relying_party
from server.handlers.base import ApiHandler, path_id
from server.handlers.refusals import ApiError
from server.services.language.text import _l


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
            raise ApiError(403, _l("only an owner can reset a second factor"))
        target = users.get_user(path_id(user_id))
        await self.write_op(totp.reset, target.id, self.current_user.id)
        self.set_status(204)
        self.finish()


class ScimTokenHandler(ApiHandler):
    access = "admin"

    async def post(self):
        self.json_body(optional=True)
        if self.current_user.role != "OWNER":
            raise ApiError(403, _l("only an owner can create the SCIM token"))
        self.reply({"token": await self.write_op(scim_token.rotate, self.current_user)}, status=201)


class PasskeyOptionsHandler(ApiHandler):
    async def post(self):
        self.json_body(optional=True)
        rp_id, _origin = relying_party(self)
        self.reply(await self.write_op(passkeys.registration_options, self.current_user, rp_id))


class PasskeysHandler(ApiHandler):
    def get(self):
        self.reply({"passkeys": passkeys.listing(self.current_user.id)})

    async def post(self):
        data = self.json_body()
        validate.require_object(data)
        validate.only_fields(data, ("handle", "credential", "name"))
        handle = validate.text(data, "handle", 64, min_len=1, required=True)
        name = validate.text(data, "name", 100) or "Passkey"
        if not isinstance(data.get("credential"), dict):
            raise ApiError(400, _l("credential must be the object the browser created"))
        rp_id, origin = relying_party(self)
        self.reply(await self.write_op(passkeys.register, self.current_user, handle,
                                       data["credential"], name, rp_id, origin), status=201)


class PasskeyHandler(ApiHandler):
    async def delete(self, passkey_id):
        await self.write_op(passkeys.remove, self.current_user.id, path_id(passkey_id))
        self.set_status(204)
        self.finish()


class DesktopTokenHandler(ApiHandler):
    """The desktop app trades the code its loopback listener received, with its PKCE verifier."""
    access = None

    async def post(self):
        data = self.json_body()
        validate.require_object(data)
        validate.only_fields(data, ("code", "code_verifier", "redirect_uri"))
        code = validate.text(data, "code", 100, min_len=1, required=True)
        verifier = validate.text(data, "code_verifier", 128, min_len=43, required=True)
        redirect_uri = validate.text(data, "redirect_uri", 200, min_len=1, required=True)
        user = await self.write_op(desktop.redeem, code, verifier, redirect_uri)
        if user is None:
            raise ValidationError(desktop.EXPIRED, "code")
        token = await self.write_op(auth.issue_token, user)
        self.reply({"token": token, "user": auth.user_dict(user)})


routes = [
    (r"/api/auth/desktop/token/", DesktopTokenHandler),
    (r"/api/me/passkeys/", PasskeysHandler),
    (r"/api/me/passkeys/options/", PasskeyOptionsHandler),
    (r"/api/me/passkeys/([0-9]{1,12})/", PasskeyHandler),
    (r"/api/admin/scim-token/", ScimTokenHandler),
    (r"/api/me/2fa/totp/", TotpHandler),
    (r"/api/me/2fa/totp/confirm/", TotpConfirmHandler),
    (r"/api/admin/users/([0-9]{1,12})/2fa/", SecondFactorResetHandler),
]
