"""Retention (SPEC 11.3, GDPR Art. 5(1)(e)): presence intervals, time entries and comments older
than their settings are removed, daily and by `python -m server purge`. Task totals (progress,
tracked time, comment counts of what is left) stay right; the audit chain is not touched: its
rows hold digests, never the purged texts."""
import collections
import datetime

from server.store.database import db, sql
from server.store.times import db_time, utcnow
from server.services.record.audit import lock_chain

Policy = collections.namedtuple("Policy", "presence_days time_entries_days comments_days")
SETTINGS = ("retention_presence_days", "retention_time_entries_days", "retention_comments_days")


def days(name, raw):
    """A retention setting: empty keeps for good, else a whole number of days from 1."""
    text = str(raw).strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError("%s must be a whole number of days from 1, or empty to keep for good "
                         "(got %r)" % (name, raw))
    return int(text)


def policy_of(settings):
    return Policy(*(days(name, settings[name]) for name in SETTINGS))


def _cutoff(days_kept, now):
    return db_time(now - datetime.timedelta(days=days_kept))


def purge(policy, now=None):
    """Remove what is past retention, in the caller's transaction: {kind: rows removed}."""
    now = now or utcnow()
    lock_chain()  # heartbeats and timers write these rows under the same lock
    removed = {"presence": 0, "time_entries": 0, "comments": 0}
    if policy.presence_days:
        removed["presence"] = db.execute_sql(sql(
            "DELETE FROM occupancy_interval WHERE closed = ? AND ended_at < ?"),
            (True, _cutoff(policy.presence_days, now))).rowcount
    if policy.time_entries_days:  # the tasks keep their tracked totals
        removed["time_entries"] = db.execute_sql(sql(
            "DELETE FROM time_entry WHERE ended_at IS NOT NULL AND ended_at < ?"),
            (_cutoff(policy.time_entries_days, now),)).rowcount
    if policy.comments_days:
        removed["comments"] = _purge_comments(_cutoff(policy.comments_days, now))
    return removed


def _purge_comments(cutoff):
    """Comments last written before the cutoff, with every revision; the live ones leave their
    task's count."""
    old = "(COALESCE(edited_at, created_at) < ?)"
    live = db.execute_sql(sql("SELECT task_id, COUNT(*) FROM comment WHERE %s AND deleted = ? "
                              "GROUP BY task_id" % old), (cutoff, False)).fetchall()
    for task_id, count in live:
        db.execute_sql(sql("UPDATE task SET comment_count = comment_count - ?, version = version + 1 "
                           "WHERE id = ?"), (count, task_id))
    db.execute_sql(sql("DELETE FROM comment_revision WHERE comment_id IN "
                       "(SELECT id FROM comment WHERE %s)" % old), (cutoff,))
    return db.execute_sql(sql("DELETE FROM comment WHERE %s" % old), (cutoff,)).rowcount


def describe(removed):
    return ("purged %(presence)d presence intervals, %(time_entries)d time entries and "
            "%(comments)d comments past their retention" % removed)
