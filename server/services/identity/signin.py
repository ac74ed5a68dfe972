"""The one door for a username and a password (the /login form and POST /api/auth/token/): the
`sso_only` gate, then the directory (LDAP) or the local password, then the second factor.
The login throttle counts every attempt, whichever checks it."""
from ...services import auth
from ..errors import Unauthorized
from . import config


OFF = "passwords are turned off here: sign in with your company account"


class PasswordsOff(Unauthorized):
    code = "sso_only"


async def password_sign_in(svc, username, password, address):
    """The active user these credentials name, or raise Throttled / Unauthorized. With `sso_only`
    the directory (a company sign-in) still takes passwords; local passwords only the break-glass
    owners' (who skip the directory, so that they get in while it is down)."""
    settings = svc.settings
    glass = config.is_break_glass(settings, username)
    if svc.identity.ldap is not None and not glass:
        from .ldap_signin import directory_sign_in
        return await directory_sign_in(svc, username, password, address,
                                        local_fallback=not settings["sso_only"])
    if settings["sso_only"] and not glass:
        raise PasswordsOff(OFF)
    user = await auth.check_password(svc, username, password, address)
    if settings["sso_only"] and user.role != "OWNER":  # break glass is for owners only
        raise PasswordsOff(OFF)
    return user
