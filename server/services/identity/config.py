"""The sign-in settings, checked once at start: a bad team map stops the server with a sentence,
never at a user's first sign-in."""
import collections
import json

TEAM_ROLES = ("member", "lead", "viewer")
REQUIRE_2FA = ("off", "admins", "everyone")

Oidc = collections.namedtuple(
    "Oidc", "issuer client_id client_secret display_name scopes groups_claim team_map admin_groups "
            "create_users redirect_uri")
Directory = collections.namedtuple("Directory", "team_map admin_groups")


class BadSetting(ValueError):
    """A sign-in setting that cannot work; its message names the setting."""


def names(raw):
    """A comma-separated list setting as a tuple of its non-empty, trimmed items."""
    return tuple(item.strip() for item in (raw or "").split(",") if item.strip())


def team_map(raw, setting):
    """{"<group>": {"team": "<team name>", "role": "member" | "lead" | "viewer"}} (SPEC 11.2)."""
    if not (raw or "").strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise BadSetting("%s is not valid JSON" % setting) from None
    if not isinstance(value, dict):
        raise BadSetting('%s must be a JSON object {"<group>": {"team": ..., "role": ...}}' % setting)
    checked = {}
    for group, target in value.items():
        if not isinstance(target, dict) or not isinstance(target.get("team"), str) \
                or not target["team"].strip():
            raise BadSetting('%s: group "%s" needs {"team": "<team name>"}' % (setting, group))
        role = target.get("role", "member")
        if role not in TEAM_ROLES:
            raise BadSetting('%s: group "%s" has role "%s"; use member, lead or viewer'
                             % (setting, group, role))
        checked[group] = {"team": target["team"].strip(), "role": role}
    return checked


def oidc_of(settings):
    """The OpenID Connect configuration, or None when `oidc_issuer` is empty."""
    issuer = settings["oidc_issuer"].strip().rstrip("/")
    if not issuer:
        return None
    if not settings["oidc_client_id"]:
        raise BadSetting("oidc_client_id is required when oidc_issuer is set")
    return Oidc(issuer=issuer, client_id=settings["oidc_client_id"],
                client_secret=settings["oidc_client_secret"],
                display_name=settings["oidc_display_name"] or issuer,
                scopes=settings["oidc_scopes"] or "openid",
                groups_claim=settings["oidc_groups_claim"],
                team_map=team_map(settings["oidc_team_map"], "oidc_team_map"),
                admin_groups=names(settings["oidc_admin_groups"]),
                create_users=settings["oidc_create_users"],
                redirect_uri=settings["oidc_redirect_uri"].strip())


def check(settings):
    """Refuse settings that cannot work (BadSetting), before the server listens."""
    oidc_of(settings)
    team_map(settings["ldap_team_map"], "ldap_team_map")
    if settings["require_2fa"] not in REQUIRE_2FA:
        raise BadSetting("require_2fa must be off, admins or everyone")
    if settings["sso_only"] and not (settings["oidc_issuer"] or settings["ldap_url"]):
        raise BadSetting("sso_only needs oidc_issuer or ldap_url: nobody could sign in")


def password_allowed(settings, username):
    """Whether a password sign-in (local or LDAP) may be tried: with `sso_only`, only the
    break-glass users may (owners; checked again once the user is known)."""
    return not settings["sso_only"] or is_break_glass(settings, username)


def is_break_glass(settings, username):
    return username.lower() in {name.lower() for name in names(settings["break_glass_users"])}


def invites(settings):
    """Whether new users get a set-password invitation: not where they sign in by SSO."""
    return not settings["sso_only"] and not settings["ldap_url"]
