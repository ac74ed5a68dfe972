"""GET / PATCH /api/me/ (SPEC 11.1): the signed-in user with their teams, language and zone."""
import functools
import zoneinfo

from server.store.models import User
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.language.catalogs import LOCALES  # the catalogs shipped (SPEC 11.4)
from server.services.language.text import _l
from server.services.people import auth
from server.services.teams import service


@functools.lru_cache(maxsize=1)
def zones():
    """Every IANA zone name this system knows (tzdata)."""
    return frozenset(zoneinfo.available_timezones())


def check_locale(value, field="locale"):
    if value not in LOCALES:
        raise ValidationError(_l("%(field)s must be one of %(choices)s", field=field,
                                 choices=", ".join(LOCALES)), field)
    return value


def check_zone(value, field="time_zone"):
    if not isinstance(value, str) or value not in zones():
        raise ValidationError(_l("%(field)s must be an IANA time zone such as Europe/Berlin",
                                 field=field), field)
    return value


def me(user, settings):
    """The user object of GET /api/me/; locale and zone fall back to the settings' defaults."""
    return {"id": user.id, "username": user.username, "full_name": user.full_name,
            "role": user.role, "email": user.email,
            "locale": user.locale or settings["default_locale"],
            "time_zone": user.time_zone or settings["default_time_zone"],
            "teams": service.memberships(user.id)}


def parse_me(data):
    """The fields of PATCH /api/me/: locale, time_zone, email (null or "" clears e-mail; null
    locale or zone goes back to the default)."""
    validate.require_object(data)
    validate.only_fields(data, ("locale", "time_zone", "email"))
    if not data:
        raise ValidationError(_l("nothing to change: send locale, time_zone or email"))
    fields = {}
    if "locale" in data:
        fields["locale"] = None if data["locale"] is None else check_locale(data["locale"])
    if "time_zone" in data:
        fields["time_zone"] = None if data["time_zone"] is None else check_zone(data["time_zone"])
    if "email" in data:
        fields["email"] = validate.email(data)
    return fields


def load(user_id):
    return User.get_by_id(user_id)


def update_me(user_id, fields):
    """Write the fields (on the writer); returns the fresh user. Other processes forget their
    cached copy (its language and zone), as this one does in the handler."""
    User.update(**fields).where(User.id == user_id).execute()
    auth.announce("user", user_id, False)
    return User.get_by_id(user_id)
