"""Migration 18's schema, frozen as SQL: week timesheets and their steps, clock-in/out days, absences."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    # One row per person and ISO week once the week is submitted (a week without a row is a draft).
    'CREATE TABLE IF NOT EXISTS "timesheet" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "week" VARCHAR(8) NOT NULL, "starts_on" DATE NOT NULL, '
    '"state" VARCHAR(16) NOT NULL, "reason" TEXT NOT NULL, "submitted_at" {ts}, '
    '"decided_by_id" INTEGER, "decided_at" {ts}, "updated_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("decided_by_id") REFERENCES "user" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "timesheet_user_id_week" ON "timesheet" ("user_id", "week")',
    'CREATE INDEX IF NOT EXISTS "timesheet_week_state" ON "timesheet" ("week", "state")',
    'CREATE INDEX IF NOT EXISTS "timesheet_state_starts_on" ON "timesheet" ("state", "starts_on")',
    # Every step of a sheet, oldest first: submitted, approved, rejected (with why), reopened.
    'CREATE TABLE IF NOT EXISTS "timesheet_step" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"timesheet_id" INTEGER NOT NULL, "actor_id" INTEGER NOT NULL, "step" VARCHAR(16) NOT NULL, '
    '"reason" TEXT NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("timesheet_id") REFERENCES "timesheet" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("actor_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "timesheet_step_timesheet_id" ON "timesheet_step" ("timesheet_id", "id")',
    # A manual clock-in/out for a day without time entries.
    'CREATE TABLE IF NOT EXISTS "workday" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "day" DATE NOT NULL, "clock_in" {ts} NOT NULL, '
    '"clock_out" {ts} NOT NULL, "break_minutes" INTEGER NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "workday_user_id_day" ON "workday" ("user_id", "day")',
    'CREATE TABLE IF NOT EXISTS "absence" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "kind" VARCHAR(16) NOT NULL, "starts_on" DATE NOT NULL, '
    '"ends_on" DATE NOT NULL, "half_day" {bool} NOT NULL, "state" VARCHAR(16) NOT NULL, '
    '"note" TEXT NOT NULL, "reason" TEXT NOT NULL, "decided_by_id" INTEGER, "decided_at" {ts}, '
    '"created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("decided_by_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "absence_user_id_starts_on" ON "absence" ("user_id", "starts_on")',
    'CREATE INDEX IF NOT EXISTS "absence_state" ON "absence" ("state")',
]


def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
