"""The one door for a username and a password (the /login form and POST /api/auth/token/): the
`sso_only` gate, then the directory (LDAP) or the local password, then the second factor.
The login throttle counts every attempt, whichever checks it."""
from server.services.people import auth
from server.services.core.errors import Unauthorized
from server.services.identity import config
from server.services.identity.factors import passkeys, totp


OFF = "passwords are turned off here: sign in with your company account"


class PasswordsOff(Unauthorized):
    code = "sso_only"


class OtpRequired(Unauthorized):
    code = "otp_required"


class OtpInvalid(Unauthorized):
    code = "otp_invalid"


class PasskeyRequired(Unauthorized):
    """The password was right; the user's second factor is a passkey (the web page asks for it,
    an API client is told to sign in through the browser)."""
    code = "passkey_required"

    def __init__(self, user):
        super().__init__("confirm with your passkey: this account's second factor is a passkey "
                         "(the desktop app: Sign in with your browser)", "otp")
        self.user = user


async def password_sign_in(svc, username, password, address, otp=None):
    """The active user these credentials name, or raise Throttled / Unauthorized. With `sso_only`
    the directory (a company sign-in) still takes passwords; local passwords only the break-glass
    owners' (who skip the directory, so that they get in while it is down)."""
    settings = svc.settings
    glass = config.is_break_glass(settings, username)
    if svc.identity.ldap is not None and not glass:
        from server.services.identity.providers.ldap_signin import directory_sign_in
        user = await directory_sign_in(svc, username, password, address,
                                       local_fallback=not settings["sso_only"])
        return await second_factor(svc, user, otp, address)
    if settings["sso_only"] and not glass:
        raise PasswordsOff(OFF)
    user = await auth.check_password(svc, username, password, address)
    if settings["sso_only"] and user.role != "OWNER":  # break glass is for owners only
        raise PasswordsOff(OFF)
    return await second_factor(svc, user, otp, address)


async def second_factor(svc, user, otp, address):
    """The user once their code (or a recovery code) is right; codes have their own throttle."""
    if not totp.enrolled(user.id):
        if passkeys.has_passkey(user.id):
            raise PasskeyRequired(user)
        return user
    if not otp:
        raise OtpRequired("enter the code from your authenticator app (or a recovery code)", "otp")
    key = "otp:" + user.username
    await svc.writer.submit(svc.throttle.begin, key, address)
    if not await svc.writer.submit(totp.check, user.id, otp):
        raise OtpInvalid("that code is wrong or was used already", "otp")
    await svc.writer.submit(svc.throttle.succeeded, key, address)
    return user


def must_enrol(settings, user):
    """Whether `require_2fa` asks this user to enrol before anything else."""
    wanted = settings["require_2fa"]
    applies = wanted == "everyone" or (wanted == "admins" and user.role in ("ADMIN", "OWNER"))
    return applies and not (totp.enrolled(user.id) or passkeys.has_passkey(user.id))
