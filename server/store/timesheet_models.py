"""peewee models of week timesheets, their steps, clock-in/out days and absences (migration 18)."""
import peewee as pw

from server.store.database import db
from server.store.models import BaseModel, User
from server.store.times import utcnow

SHEET_STATES = ("draft", "submitted", "approved", "rejected")
SHEET_STEPS = ("submitted", "approved", "rejected", "reopened")
ABSENCE_KINDS = ("vacation", "sick", "other")
ABSENCE_STATES = ("requested", "approved", "rejected")


class Timesheet(BaseModel):
    """One person's ISO week ("2026-W49") once submitted; `reason` says why it was rejected or reopened."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE", index=False)
    week = pw.CharField(max_length=8)
    starts_on = pw.DateField()
    state = pw.CharField(max_length=16)
    reason = pw.TextField(default="")
    submitted_at = pw.DateTimeField(null=True)
    decided_by = pw.ForeignKeyField(User, null=True, backref="+", index=False)
    decided_at = pw.DateTimeField(null=True)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "week"), True),)


class TimesheetStep(BaseModel):
    timesheet = pw.ForeignKeyField(Timesheet, backref="steps", on_delete="CASCADE", index=False)
    actor = pw.ForeignKeyField(User, backref="+", index=False)
    step = pw.CharField(max_length=16)
    reason = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)


class Workday(BaseModel):
    """A manual clock-in/out for a day without time entries."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE", index=False)
    day = pw.DateField()
    clock_in = pw.DateTimeField()
    clock_out = pw.DateTimeField()
    break_minutes = pw.IntegerField(default=0)
    created_at = pw.DateTimeField(default=utcnow)


class Absence(BaseModel):
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE", index=False)
    kind = pw.CharField(max_length=16)
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    half_day = pw.BooleanField(default=False)
    state = pw.CharField(max_length=16)
    note = pw.TextField(default="")
    reason = pw.TextField(default="")
    decided_by = pw.ForeignKeyField(User, null=True, backref="+", index=False)
    decided_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)


__all__ = ["db", "Timesheet", "TimesheetStep", "Workday", "Absence"]
