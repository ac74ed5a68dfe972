"""Erasure (SPEC 11.3, GDPR Art. 17): a person's name, username, e-mail, notes, comment texts,
presence, sessions and tokens leave every table; progress values, counts and time totals stay,
and the audit chain still verifies (services/record/seal.py)."""
from server.store.database import db, is_postgres, sql
from server.store.models import ApiToken, OccupancyInterval, User
from server.store.privacy_models import Erasure, PresencePause
from server.store.times import utcnow
from server.services.people import auth
from server.services.record import eventlog
from server.services.record.audit import lock_chain
from server.services.core.errors import Conflict, NotFound
from server.services.tasks.view import load
from server.services.identity import models as identity_models
from server.services.privacy.scrub import Scrubber
from server.services.language.text import _l

ERASED_PASSWORD = "!erased"  # matches no password hash: nobody signs in as an erased person
# Other people's free text where the person's names may stand (table, key, columns).
FREE_TEXT = (("task", "id", ("title", "description")), ("comment", "id", ("body",)),
             ("comment_revision", "id", ("body",)), ("time_entry", "id", ("note", "first_answer")),
             ("mail", "id", ("recipient", "subject", "text_body", "html_body")),
             ("timesheet", "id", ("reason",)), ("timesheet_step", "id", ("reason",)),
             ("absence", "id", ("note", "reason")), ("security_log", "id", ("detail",)))


# Features with personal tables of their own (teams, sign-in identities, second factors,
# timesheets, absences) add a step here: step(user_id, scrubber), run in erase()'s transaction
# before the person's identity goes. Registered at import by the feature's service module.
STEPS = [lambda user_id, _scrubber: identity_models.forget(user_id)]


def find(username):
    user = auth.find_user(username)
    if user is None:
        raise NotFound(_l("no user is named %(username)s", username=username), "username")
    return user


def erase(user_id, now=None):
    """Erase one person in the caller's transaction. Returns how many audit rows were redacted."""
    lock_chain()
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(_l("user %(user_id)s does not exist", user_id=user_id))
    if Erasure.get_or_none(Erasure.user == user.id) is not None:
        raise Conflict(_l("%(username)s was already erased", username=user.username))
    if auth.leaves_no_owner(user, {"is_active": False}):
        raise Conflict(_l("this is the last active owner: make another owner first"))
    scrubber = Scrubber(user.id, (user.username, user.full_name, user.email))
    redacted = _redact_audit(user.id, scrubber)
    _drop_own(user.id)
    _blank_own(user.id)
    for table, key, columns in FREE_TEXT:
        _scrub_table(table, key, columns, scrubber)
    _scrub_payloads("event", user.id, scrubber)
    _scrub_payloads("delivery", None, scrubber)
    for step in STEPS:
        step(user.id, scrubber)
    _forget_identity(user)
    Erasure.create(user=user.id, erased_at=now or utcnow(), redacted_rows=redacted)
    auth.announce("user", user.id, True)  # other processes end their sessions and sockets
    _announce(user, now)
    return redacted


def _announce(user, now):
    """Open pages learn the new name: the person's presence, then each of their tasks."""
    eventlog.append("occupancy.changed", subject_id=user.id, now=now, employee={
        "id": user.id, "username": user.username, "full_name": "", "occupancy_status": "OFFLINE"})
    task_ids = [row[0] for row in db.execute_sql(
        sql("SELECT id FROM task WHERE assignee_id = ? ORDER BY id"), (user.id,)).fetchall()]
    for task_id in task_ids:
        task = load(task_id, now)
        eventlog.append("task.changed", task=task, subject_id=user.id, now=now)


def _candidates(table, key, columns, scrubber):
    """(key, *columns) of rows whose text may hold one of the names."""
    tests = []
    params = []
    for column in columns:
        for like in scrubber.likes():
            tests.append("(lower(%s) LIKE ? ESCAPE '\\' OR %s LIKE ? ESCAPE '\\')" % (column, column))
            params += [like, like]
    statement = 'SELECT %s, %s FROM "%s" WHERE %s' % (key, ", ".join(columns), table,
                                                     " OR ".join(tests))
    return db.execute_sql(sql(statement), params).fetchall()


def _redact_audit(user_id, scrubber):
    """Blank the person's own notes; rewrite their names in other rows' notes. Both redact."""
    cursor = db.execute_sql(sql(
        "UPDATE task_progress SET notes = '', notes_salt = NULL, request_fingerprint = NULL, "
        "redacted = ? WHERE user_id = ? AND (redacted = ? OR notes <> '')"), (True, user_id, False))
    count = cursor.rowcount
    update = sql("UPDATE task_progress SET notes = ?, notes_salt = NULL, redacted = ? WHERE id = ?")
    for row_id, notes in _candidates("task_progress", "id", ("notes",), scrubber):
        scrubbed = scrubber.text(notes)
        if scrubbed != notes:
            count += db.execute_sql(update, (scrubbed, True, row_id)).rowcount
    return count


def _drop_own(user_id):
    """Rows that are nothing but the person: presence, pauses, sessions, tokens, feeds, mail."""
    OccupancyInterval.delete().where(OccupancyInterval.user == user_id).execute()
    PresencePause.delete().where(PresencePause.user == user_id).execute()
    ApiToken.delete().where(ApiToken.user == user_id).execute()
    for table in ("calendar_feed", "mail"):
        db.execute_sql(sql('DELETE FROM "%s" WHERE user_id = ?' % table), (user_id,))


def _blank_own(user_id):
    """Texts the person wrote: comments and their revisions, time entry notes."""
    db.execute_sql(sql("UPDATE comment SET body = CASE WHEN body IS NULL THEN NULL ELSE '' END, "
                       "request_fingerprint = NULL WHERE author_id = ?"), (user_id,))
    db.execute_sql(sql("UPDATE comment_revision SET body = '' WHERE editor_id = ? OR comment_id IN "
                       "(SELECT id FROM comment WHERE author_id = ?)"), (user_id, user_id))
    db.execute_sql(sql("UPDATE time_entry SET note = '', first_answer = NULL, fingerprint = NULL "
                       "WHERE user_id = ?"), (user_id,))


def _scrub_table(table, key, columns, scrubber):
    for row in _candidates(table, key, columns, scrubber):
        changed = {c: scrubber.text(v) for c, v in zip(columns, row[1:]) if v}
        changed = {c: v for c, v in changed.items() if v != row[1 + columns.index(c)]}
        if table == "task" and "title" in changed:
            changed["title"] = changed["title"][:200]
        if changed:
            assignments = ", ".join("%s = ?" % c for c in changed)
            bump = ", version = version + 1" if table == "task" else ""
            db.execute_sql(sql('UPDATE "%s" SET %s%s WHERE %s = ?' % (table, assignments, bump, key)),
                           list(changed.values()) + [row[0]])


def _scrub_payloads(table, user_id, scrubber):
    """Event and delivery payloads: JSON, rewritten through the scrubber's walk."""
    extra = " OR subject_id = %d OR former_subject_id = %d" % (user_id, user_id) if user_id else ""
    tests = " OR ".join(["lower(payload) LIKE ? ESCAPE '\\' OR payload LIKE ? ESCAPE '\\'"]
                        * len(scrubber.likes())) or "1 = 0"
    params = [like for like in scrubber.likes() for _twice in (1, 2)]
    rows = db.execute_sql(sql('SELECT id, payload FROM "%s" WHERE (%s)%s' % (table, tests, extra)),
                          params).fetchall()
    update = sql('UPDATE "%s" SET payload = ? WHERE id = ?' % table)
    for row_id, payload in rows:
        scrubbed = scrubber.payload(payload)
        if scrubbed != payload:
            db.execute_sql(update, (scrubbed, row_id))


def _forget_identity(user):
    user.username = "erased-%d" % user.id
    user.full_name, user.email, user.mail_off = "", None, ""
    user.password_hash, user.is_active = ERASED_PASSWORD, False
    user.save()


def compact(timeout=60.0):
    """After an erasure: no free page, no old page image in the WAL, keeps the erased text.
    SQLite rebuilds the file (VACUUM) and empties the WAL; PostgreSQL's dumps and live rows
    already hold none of it (docs/privacy.md says what its own files keep for a while)."""
    if is_postgres():
        return
    _checkpoint(timeout)
    db.execute_sql("VACUUM")
    _checkpoint(timeout)


def _checkpoint(timeout):
    """Move the WAL into the file and truncate it, waiting out readers of older snapshots."""
    import time
    deadline = time.monotonic() + timeout
    while True:
        busy = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy or time.monotonic() > deadline:
            return not busy
        time.sleep(0.05)
