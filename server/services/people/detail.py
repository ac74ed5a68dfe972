"""Presence detail (SPEC 11.3): what of presence may be stored and shown, and who is paused.
`full`: ACTIVE / IDLE / OFFLINE; `online`: IDLE is stored and shown as online (ACTIVE);
`off`: nothing is stored or shown (presence fields null)."""
from server.store.privacy_models import PresencePause

DETAILS = ("full", "online", "off")


def detail_of(settings):
    detail = str(settings["presence_detail"]).strip().lower()
    if detail not in DETAILS:
        raise ValueError("presence_detail must be one of full, online, off (got %r)"
                         % settings["presence_detail"])
    return detail


def reported(detail, status):
    """The occupancy status a progress report may keep under `detail`."""
    if detail == "off" or status is None:
        return None
    return "ACTIVE" if detail == "online" and status == "IDLE" else status


def is_paused(user_id):
    return PresencePause.get_or_none(PresencePause.user == user_id) is not None


def paused_ids():
    return {row.user_id for row in PresencePause.select(PresencePause.user)}


def shown(people, detail):
    """Admin views' employee dicts under `detail`: PAUSED for those on a break (nothing more),
    null presence with `off`. Changes the dicts in place and returns them."""
    paused = paused_ids()
    for person in people:
        if detail == "off":
            person["occupancy_status"], person["last_seen_at"] = None, None
        elif person["id"] in paused:
            person["occupancy_status"], person["last_seen_at"] = "PAUSED", None
    return people
