"""The task form shared by the assign and task pages: HTML form fields to the API's task fields,
with one message per field rather than only the first."""
import datetime

from server.services.core.errors import ValidationError
from server.services.language import formats
from server.services.language.text import _l
from server.store.times import iso


def parse_due(raw, zone):
    """A `datetime-local` value, read in the person's time zone (SPEC 11.4) -> ISO 8601 in UTC."""
    if not raw:
        return None
    try:
        local = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError(_l("Enter the due date as a date and a time."), "due_date") from None
    if local.tzinfo is not None:
        raise ValidationError(_l("Enter the due date as a date and a time."), "due_date")
    try:  # 9999-12-31T23:59 in a zone east of UTC leaves the calendar
        return iso(local.replace(tzinfo=zone).astimezone(datetime.timezone.utc))
    except (OverflowError, ValueError):
        raise ValidationError(_l("Enter a due date before the year 9999."), "due_date") from None


def parse_estimate(raw):
    """The estimate field, in hours (1.5, the locale's 1,5, or 1:30), as whole minutes; empty
    means none."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if ":" in raw:
            hours, minutes = raw.split(":", 1)
            total = int(hours) * 60 + int(minutes)
        else:
            total = round(formats.decimal(raw) * 60)
    except (ValueError, OverflowError):
        raise ValidationError(_l("Enter the estimate in hours, such as 1.5 or 1:30."),
                              "estimate_minutes") from None
    if total < 0 or total != total:
        raise ValidationError(_l("The estimate cannot be negative."), "estimate_minutes")
    return total


def estimate_text(minutes, reader):
    """Minutes as the form shows them: hours, with a decimal only when needed (1.5, 1,5)."""
    return "" if minutes is None else reader.number(round(minutes / 60, 2))


def task_form(handler):
    """The task form's fields as an API-shaped dict, and {field: message} for what is wrong."""
    data, errors = {}, {}
    data["title"] = handler.form("title")
    if not data["title"]:
        errors["title"] = _l("Give the task a title.")
    data["description"] = handler.get_body_argument("description", "").replace("\r\n", "\n")
    data["priority"] = handler.form("priority", "MEDIUM")
    for name, missing in (("assignee_id", _l("Choose who does the task.")), ("project_id", None)):
        raw = handler.form(name)
        if not raw:
            data[name] = None
            if missing:
                errors[name] = missing
            continue
        try:
            data[name] = int(raw)
        except ValueError:
            errors[name] = _l("Choose from the list.")
    try:
        data["due_date"] = parse_due(handler.form("due_date"), handler.reader.zone)
    except ValidationError as exc:
        errors["due_date"] = exc.message
    try:
        data["estimate_minutes"] = parse_estimate(handler.form("estimate"))
    except ValidationError as exc:
        errors["estimate_minutes"] = exc.message
    return data, errors


STAND_INS = {"title": "-", "assignee_id": 1}  # valid values for required fields already refused


def check_task(parse, data, errors):
    """Run the service's own validation too, collecting one message per field, not just the first."""
    clean = {k: (STAND_INS[k] if k in errors else v) for k, v in data.items()
             if k not in errors or k in STAND_INS}
    while True:
        try:
            fields = parse(clean)
            return None if errors else fields
        except ValidationError as exc:
            if exc.field in errors or exc.field not in clean:
                errors.setdefault(exc.field or "form", exc.message)
                return None
            errors[exc.field] = exc.message
            if exc.field in STAND_INS:
                clean[exc.field] = STAND_INS[exc.field]
            else:
                clean.pop(exc.field)
