"""Users from a CSV file (`python -m server import-users`, the People page): columns username,
full_name, email, role, teams (`team` or `team:lead`, `;`-separated). All or nothing: every row is
checked first, and one bad row imports nothing; a second import updates, never duplicates."""
import csv
import io

import peewee as pw

from server.store.models import ROLES, User
from server.services.core import validate
from server.services.people.auth import find_user
from server.services.core.errors import ServiceError, ValidationError
from server.services.identity.people import invitations
from server.services.identity.config import TEAM_ROLES
from server.services.identity.groups import sync_teams
from server.services.identity.models import record
from server.services.language.text import _l

COLUMNS = ("username", "full_name", "email", "role", "teams")
MAX_ROWS = 10000


def read(text):
    """[(line number, {column: value})] of the file; ValidationError if it is not such a CSV."""
    if text.startswith("\ufeff"):
        text = text[1:]  # the byte-order mark a spreadsheet writes
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "username" not in header:
        raise ValidationError(_l("the first line must name the columns: %(choices)s",
                                 choices=', '.join(COLUMNS)), "file")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ValidationError(_l("unknown column %(unknown)s; the columns are %(columns)s",
                                 unknown=", ".join(unknown), columns=", ".join(COLUMNS)), "file")
    reader.fieldnames = header
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
            for row in reader]
    if len(rows) > MAX_ROWS:
        raise ValidationError(_l("at most %(max_rows)d rows per file", max_rows=MAX_ROWS), "file")
    return rows


def teams_of(raw):
    """{team: role} from "Sales;Support:lead"."""
    wanted = {}
    for item in (part.strip() for part in raw.split(";")):
        if not item:
            continue
        name, _, role = item.rpartition(":") if ":" in item else (item, "", "member")
        role = role.strip().lower() or "member"
        if role not in TEAM_ROLES or not name.strip() or len(name.strip()) > 200:
            raise ValidationError(_l('team "%(item)s": write a team name, or name:lead / name:viewer',
                                     item=item), "teams")
        wanted[name.strip()] = role
    return wanted


def check_row(values, seen, actor_role):
    """(the row's changes, its errors as sentences)."""
    errors, fields = [], {}
    for name, check in (("username", lambda: validate.username(values.get("username", ""))),
                        ("email", lambda: validate.email(values)),
                        ("full_name", lambda: validate.text(values, "full_name", 200)),
                        ("role", lambda: validate.choice({"role": values.get("role", "").upper()
                                                          or "EMPLOYEE"}, "role", ROLES)),
                        ("teams", lambda: teams_of(values.get("teams", "")))):
        try:
            fields[name] = check()
        except (ServiceError, ValueError) as exc:
            errors.append(getattr(exc, "message", None) or str(exc))
    username = fields.get("username")
    if username and username.lower() in seen:
        errors.append(_l("username %(username)s is in the file twice", username=username))
    seen.add((username or "").lower())
    if fields.get("role", "EMPLOYEE") != "EMPLOYEE" and actor_role != "OWNER":
        errors.append(_l("only an owner can import admins and owners"))
    return fields, errors


def against_database(fields, actor_role):
    """(action, errors) of one valid row against who is there now."""
    user, errors = find_user(fields["username"]), []
    if fields.get("email"):
        other = User.select().where(pw.fn.LOWER(User.email) == fields["email"].lower())
        if user is not None:
            other = other.where(User.id != user.id)
        if other.exists():
            errors.append(_l("e-mail %(email)s belongs to another user", email=fields["email"]))
    if user is None:
        return "create", errors
    if user.role == "OWNER" and fields["role"] != "OWNER":
        errors.append(_l("%(username)s is an owner: change owners on the People page",
                         username=user.username))
    elif user.role != "EMPLOYEE" and actor_role != "OWNER":
        errors.append(_l("only an owner can change %(username)s, an %(role)s", username=user.username,
                         role=user.role.lower()))
    same = (user.full_name == (fields["full_name"] or user.full_name) and user.role == fields["role"]
            and (user.email or None) == (fields["email"] or user.email or None))
    return ("unchanged" if same and not fields["teams"] else "update"), errors


def plan(text, actor_role="OWNER"):
    """Every row with its action and errors: {"rows": [...], "valid": bool}. Reads only."""
    rows, seen = [], set()
    for line, values in read(text):
        fields, errors = check_row(values, seen, actor_role)
        action = None
        if not errors:
            action, errors = against_database(fields, actor_role)
        rows.append({"line": line, "username": values.get("username", ""), "action": action,
                     "errors": errors, "fields": fields})
    if not rows:
        raise ValidationError(_l("the file has no rows under its header"), "file")
    return {"rows": rows, "valid": not any(row["errors"] for row in rows)}


def apply(text, actor=None, base_url=None, invite=True):
    """Check, then (only when every row is valid) create and update in this one transaction, and
    invite the new users. Call on the writer. Returns the plan with `applied` and the counts."""
    result = plan(text, actor.role if actor else "OWNER")
    result.update(applied=False, created=0, updated=0)
    if not result["valid"]:
        return public(result)
    for row in result["rows"]:
        if row["action"] != "unchanged":
            save(row, actor, base_url, invite)
            result["created" if row["action"] == "create" else "updated"] += 1
    result["applied"] = True
    return public(result)


def save(row, actor, base_url, invite):
    fields = row["fields"]
    user = find_user(fields["username"])
    if user is None:
        user = User.create(username=fields["username"], full_name=fields["full_name"],
                           role=fields["role"], password_hash="", email=fields["email"])
        if invite:
            invitations.invite(user, base_url, inviter=actor.full_name or actor.username
                               if actor else "An admin")
    else:
        user.full_name = fields["full_name"] or user.full_name
        user.role, user.email = fields["role"], fields["email"] or user.email
        user.save()
    record("imported", user=user.id, actor=actor.id if actor else None, detail=row["action"])
    if fields["teams"]:
        sync_teams(user.id, fields["teams"], set(fields["teams"]), "csv")


def public(result):
    """The plan as the API and the CLI show it (without the parsed fields)."""
    rows = [{k: v for k, v in row.items() if k != "fields"} for row in result["rows"]]
    return dict(result, rows=rows)
