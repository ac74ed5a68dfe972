"""A password sign-in through the directory: counted by the login throttle like any other, the
password checked by the directory alone, the user created or updated from what it says."""
import asyncio

from server.services.people.auth import find_user
from server.services.core.errors import ServiceError, Unauthorized
from server.services.identity import accounts, config
from server.services.identity.providers.ldap import DirectoryDown, NotInDirectory, WrongPassword
from server.services.language.text import _l

WRONG = _l("wrong username or password")


class DirectoryUnavailable(ServiceError):
    status, code = 503, "directory_unavailable"


async def directory_sign_in(svc, username, password, address, local_fallback=True):
    """The active user, or raise Throttled, Unauthorized or DirectoryUnavailable. A name the
    directory does not know may still be a local account (with `local_fallback`), unless it
    came from the directory: then it is gone and refused."""
    await svc.writer.submit(svc.throttle.begin, username, address)
    try:
        profile = await svc.identity.run(svc.identity.ldap.authenticate, username, password)
    except DirectoryDown:
        raise DirectoryUnavailable("the company directory is not answering; try again shortly") from None
    except WrongPassword:
        raise Unauthorized(WRONG) from None
    except NotInDirectory:
        return await local_sign_in(svc, username, password, address, local_fallback)
    team_map = config.team_map(svc.settings["ldap_team_map"], "ldap_team_map")
    admin_groups = config.names(svc.settings["ldap_admin_groups"])
    try:
        user, role_changed = await svc.writer.submit(accounts.directory_sign_in, profile,
                                                     team_map, admin_groups)
    except accounts.NoAccount:
        raise Unauthorized(WRONG) from None
    if role_changed:
        svc.credentials_changed(user_id=user.id, close=True)
    await svc.writer.submit(svc.throttle.succeeded, username, address)
    return user


async def local_sign_in(svc, username, password, address, allowed):
    """The local password of a user the directory does not know (the throttle counted already)."""
    user = find_user(username)
    if not allowed or (user is not None and accounts.is_directory_user(username)):
        user = None  # still one hash's work: timing does not tell why
    loop = asyncio.get_running_loop()
    ok = await loop.run_in_executor(svc.hash_pool, svc.hasher.verify,
                                    user.password_hash if user else None, password)
    if not ok or not user.is_active:
        raise Unauthorized(WRONG)
    await svc.writer.submit(svc.throttle.succeeded, username, address)
    return user
