"""Which language an answer is in: the person's choice, else the browser's Accept-Language, else
the setting default_locale (SPEC 11.4)."""
from server.services.language.catalogs import LOCALES

_BY_TAG = {code.lower(): code for code in LOCALES}
_BY_PRIMARY = {code.split("-")[0].lower(): code for code in LOCALES}  # pt, pt-PT -> pt-BR


def match(tag):
    """The shipped language a tag names: exactly, else by its first subtag; None if none."""
    tag = (tag or "").strip().replace("_", "-").lower()
    return _BY_TAG.get(tag) or _BY_PRIMARY.get(tag.split("-")[0]) if tag and tag != "*" else None


def accepted(header):
    """The tags of an Accept-Language header, most wanted first (q=0 means "not this one")."""
    ranked = []
    for place, part in enumerate((header or "").split(",")[:32]):
        tag, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, place, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def choose(chosen, accept_language, default):
    """The language to answer in: `chosen` (the user's locale, or the signed-out visitor's pick),
    else the first shipped one of `accept_language`, else `default`."""
    for tag in [chosen] + accepted(accept_language):
        found = match(tag)
        if found:
            return found
    return match(default) or "en"
