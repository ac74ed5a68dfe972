"""peewee models of the tables, and the fixed vocabularies their columns take."""
import peewee as pw

from server.store.database import db
from server.store.times import utcnow

ROLES = ("EMPLOYEE", "ADMIN", "OWNER")
PRIORITIES = ("LOW", "MEDIUM", "HIGH", "URGENT")
STATUSES = ("PENDING", "IN_PROGRESS", "DONE", "CANCELLED")
OCCUPANCY = ("ACTIVE", "IDLE", "OFFLINE")


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


class User(BaseModel):
    # Also unique whatever its case: migration 6 adds an index on lower(username).
    username = pw.CharField(max_length=64, unique=True)
    full_name = pw.CharField(max_length=200, default="")
    role = pw.CharField(max_length=16, default="EMPLOYEE")
    password_hash = pw.CharField(max_length=255)
    is_active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)
    email = pw.CharField(max_length=254, null=True)  # migration 12: where mail goes (optional)
    # Kinds of mail unsubscribed from, comma-separated. The column is NOT NULL DEFAULT '': no
    # default here, so inserts leave it to the database (and run on schemas before version 12).
    mail_off = pw.CharField(max_length=200, null=True)
    locale = pw.CharField(max_length=16, null=True)  # migration 17: null = the default_locale
    time_zone = pw.CharField(max_length=64, null=True)  # IANA; null = the default_time_zone

    @property
    def is_admin(self):
        return self.role in ("ADMIN", "OWNER")


class ApiToken(BaseModel):
    """A bearer token (kind 'api') or an admin page session (kind 'session'); only its SHA-256 is kept."""
    user = pw.ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    kind = pw.CharField(max_length=16, default="api")
    created_at = pw.DateTimeField(default=utcnow)
    last_used_at = pw.DateTimeField(null=True)
    revoked = pw.BooleanField(default=False)


class Project(BaseModel):
    name = pw.CharField(max_length=200, unique=True)
    description = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    archived_at = pw.DateTimeField(null=True)  # migration 17: no longer offered for new tasks


class Task(BaseModel):
    title = pw.CharField(max_length=200)
    description = pw.TextField(default="")
    assignee = pw.ForeignKeyField(User, backref="tasks")
    project = pw.ForeignKeyField(Project, null=True, backref="tasks")
    created_by = pw.ForeignKeyField(User, backref="created_tasks")
    priority = pw.CharField(max_length=16, default="MEDIUM")
    status = pw.CharField(max_length=16, default="PENDING")
    progress_percentage = pw.IntegerField(default=0)
    due_date = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    completed_at = pw.DateTimeField(null=True)
    last_progress_update_at = pw.DateTimeField(null=True)
    last_progress_updated_by = pw.ForeignKeyField(User, null=True, backref="+")
    version = pw.IntegerField(default=1)
    # The forecast's running pace (services/tasks/forecast.py) and the last announced stale flag.
    pace_gain = pw.DoubleField(default=0.0)
    pace_seconds = pw.DoubleField(default=0.0)
    stale = pw.BooleanField(default=False)
    # Section 10.3: the admin's estimate, and the sum of the task's finished time entries.
    estimate_minutes = pw.IntegerField(null=True)
    tracked_seconds = pw.IntegerField(default=0)
    comment_count = pw.IntegerField(default=0)  # live comments, kept by services/comments/comments.py

    class Meta:
        indexes = (
            (("assignee", "status"), False),
            (("status",), False),
        )


# Every kind of audit row (TaskProgress.action). audit.append writes no other, and each has its
# sentence in services/sentences/audit_rows.py: a new kind goes into both.
AUDIT_ACTIONS = ("create", "progress", "complete", "edit", "reassign", "cancel", "link", "unlink",
                 "comment", "comment_edit", "comment_delete", "time_entry", "time_entry_edit",
                 "time_entry_delete", "sheet_submit", "sheet_approve", "sheet_reject",
                 "sheet_reopen")


class TaskProgress(BaseModel):
    """The audit trail: append-only (triggers refuse UPDATE and DELETE) and hash-chained."""
    id = pw.IntegerField(primary_key=True)  # assigned under the chain lock: id = previous id + 1
    task = pw.ForeignKeyField(Task, backref="updates", index=False)  # (task, id) below covers it
    user = pw.ForeignKeyField(User, backref="+", index=False)  # (user, client_update_id) covers it
    action = pw.CharField(max_length=16)  # create, progress, complete, edit, reassign, cancel
    previous_percentage = pw.IntegerField(null=True)
    new_percentage = pw.IntegerField()
    previous_status = pw.CharField(max_length=16, null=True)
    new_status = pw.CharField(max_length=16)
    notes = pw.TextField(default="")
    occupancy_status = pw.CharField(max_length=16, null=True)
    client_update_id = pw.CharField(max_length=64, null=True)
    client_timestamp = pw.CharField(max_length=64, null=True)
    request_fingerprint = pw.CharField(max_length=64, null=True)
    task_version = pw.IntegerField()
    created_at = pw.DateTimeField(default=utcnow)
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)
    # Migration 16 (services/record/seal.py): the notes' salted digest, which version 2 rows
    # hash instead of the text; old rows' seals; redacted once erasure blanked the text.
    hash_version = pw.IntegerField(default=2)
    notes_salt = pw.CharField(max_length=64, null=True)
    notes_digest = pw.CharField(max_length=64, null=True)
    seal = pw.CharField(max_length=64, null=True)
    redacted = pw.BooleanField(default=False)

    class Meta:
        indexes = (
            (("user", "client_update_id"), True),
            (("task", "id"), False),
            (("created_at",), False),
        )


class Event(BaseModel):
    """The push log: id is the cursor. payload is the event JSON, serialized once at write time."""
    type = pw.CharField(max_length=32)
    # Read by id, and by person for an employee's catch-up (migration 21's two indexes).
    task = pw.ForeignKeyField(Task, null=True, backref="+", index=False)
    subject = pw.ForeignKeyField(User, null=True, backref="+", index=False)
    former_subject = pw.ForeignKeyField(User, null=True, backref="+", index=False)
    payload = pw.TextField()
    created_at = pw.DateTimeField(default=utcnow, index=True)
    team_id = pw.IntegerField(null=True)  # migration 17: the team a team.changed event is about


class OccupancyInterval(BaseModel):
    """One merged stretch of ACTIVE or IDLE for one employee; ended_at moves with each heartbeat."""
    user = pw.ForeignKeyField(User, backref="occupancy")
    status = pw.CharField(max_length=16)
    started_at = pw.DateTimeField()
    ended_at = pw.DateTimeField()
    closed = pw.BooleanField(default=False)

    class Meta:
        indexes = (
            (("user", "ended_at"), False),
            (("ended_at", "started_at", "user", "status"), False),  # migration 13: the window read
        )


class LoginFailure(BaseModel):
    """A failed (or still running) login, counted by services/people/throttle.py. No link to the user:
    the key is a digest of the name as typed and the address, whoever has that name now."""
    key = pw.CharField(max_length=64)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("key", "created_at"), False),
        )


class ProgressHour(BaseModel):
    """Points of progress one user added in one hour (bucket = its start, Unix seconds): kept by
    audit.append in the same transaction as the audit row, so statistics never re-read history."""
    user = pw.ForeignKeyField(User, backref="+", index=False)  # (bucket, user) below covers it
    bucket = pw.IntegerField()
    points = pw.IntegerField(default=0)
    first_at = pw.DateTimeField()  # the hour's first and last counted rows: a window that takes
    last_at = pw.DateTimeField()   # them both in may add the whole hour without reading its rows

    class Meta:
        indexes = ((("bucket", "user"), True),)


class TaskDependency(BaseModel):
    """"task depends on depends_on": finish-to-start; whether it blocks is derived, never stored."""
    task = pw.ForeignKeyField(Task, backref="+", on_delete="CASCADE", index=False)
    depends_on = pw.ForeignKeyField(Task, backref="+", on_delete="CASCADE", index=False)
    created_by = pw.ForeignKeyField(User, backref="+")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("task", "depends_on"), True),
            (("depends_on", "task"), False),
        )


class TimeEntry(BaseModel):
    """Time one person spent on one task; ended_at is null while the timer runs. Deleted entries
    keep their row (deleted_at) so that a replayed client_entry_id still gets its first answer."""
    task = pw.ForeignKeyField(Task, backref="+", index=False)
    user = pw.ForeignKeyField(User, backref="+", index=False)
    started_at = pw.DateTimeField()
    ended_at = pw.DateTimeField(null=True)
    seconds = pw.IntegerField(default=0)
    source = pw.CharField(max_length=16)  # timer, manual
    note = pw.TextField(default="")
    stop_reason = pw.CharField(max_length=16, null=True)  # user, switch, idle, offline, cap
    client_entry_id = pw.CharField(max_length=64, null=True)
    fingerprint = pw.CharField(max_length=64, null=True)
    first_answer = pw.TextField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    deleted_at = pw.DateTimeField(null=True)


class Comment(BaseModel):
    """A comment on a task; `body` is null once deleted (the tombstone), its texts stay in
    CommentRevision and each change is an audit row."""
    task = pw.ForeignKeyField(Task, backref="+", index=False)  # (task, id) below covers it
    author = pw.ForeignKeyField(User, backref="+", index=False)
    body = pw.TextField(null=True)
    revision = pw.IntegerField(default=1)
    deleted = pw.BooleanField(default=False)
    client_comment_id = pw.CharField(max_length=64, null=True)
    request_fingerprint = pw.CharField(max_length=64, null=True)
    created_at = pw.DateTimeField(default=utcnow)
    edited_at = pw.DateTimeField(null=True)
    deleted_at = pw.DateTimeField(null=True)
    deleted_by = pw.ForeignKeyField(User, null=True, backref="+", index=False)

    class Meta:
        indexes = (
            (("task", "id"), False),
            (("author", "client_comment_id"), True),
        )


class CommentRevision(BaseModel):
    """One text a comment has had; `audit_id` is the chain row whose notes carry its digest."""
    comment = pw.ForeignKeyField(Comment, backref="revisions", index=False)
    revision = pw.IntegerField()
    body = pw.TextField()
    editor = pw.ForeignKeyField(User, backref="+", index=False)
    audit_id = pw.IntegerField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("comment", "revision"), True),
        )


TEAM_ROLES = ("member", "lead", "viewer")


class Team(BaseModel):
    """A team (SPEC 11.1); the name is unique whatever its case (migration 17's index)."""
    name = pw.CharField(max_length=200)
    description = pw.TextField(default="")
    country = pw.CharField(max_length=8, null=True)  # whose public holidays its people have off;
    region = pw.CharField(max_length=64, null=True)  # null: the company's (holiday_country)
    created_at = pw.DateTimeField(default=utcnow)


class TeamMember(BaseModel):
    """A user's role in a team; `source`: who set it ("" by hand, else e.g. "oidc", "ldap")."""
    team = pw.ForeignKeyField(Team, backref="members", on_delete="CASCADE", index=False)
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    role = pw.CharField(max_length=16)
    source = pw.CharField(max_length=32, default="")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "user"), True),)


class TeamLog(BaseModel):
    """Every team change, append-only (triggers): the team's audit trail."""
    team_id = pw.IntegerField()
    team_name = pw.CharField(max_length=200)
    actor_id = pw.IntegerField(null=True)
    action = pw.CharField(max_length=32)
    user_id = pw.IntegerField(null=True)
    role = pw.CharField(max_length=16, null=True)
    notes = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)


class PasswordLink(BaseModel):
    """A one-time link to set a password (People page); only its SHA-256 is kept."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    created_by_id = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField()
    used_at = pw.DateTimeField(null=True)


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = pw.DateTimeField(default=utcnow)
