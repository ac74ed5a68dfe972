"""Migration 10's schema, frozen as SQL: task estimates, tracked time, and the time entries."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    'ALTER TABLE "task" ADD COLUMN "estimate_minutes" INTEGER',
    'ALTER TABLE "task" ADD COLUMN "tracked_seconds" INTEGER NOT NULL DEFAULT 0',
    'CREATE TABLE IF NOT EXISTS "time_entry" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"task_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, "started_at" {ts} NOT NULL, '
    '"ended_at" {ts}, "seconds" INTEGER NOT NULL DEFAULT 0, "source" VARCHAR(16) NOT NULL, '
    '"note" TEXT NOT NULL, "stop_reason" VARCHAR(16), "client_entry_id" VARCHAR(64), '
    '"fingerprint" VARCHAR(64), "first_answer" TEXT, "created_at" {ts} NOT NULL, '
    '"deleted_at" {ts}, '
    'FOREIGN KEY ("task_id") REFERENCES "task" ("id"), '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "time_entry_user_client_entry_id" '
    'ON "time_entry" ("user_id", "client_entry_id")',
    # One running timer per user, kept by the database itself.
    'CREATE UNIQUE INDEX IF NOT EXISTS "time_entry_one_running" ON "time_entry" ("user_id") '
    'WHERE "ended_at" IS NULL AND "deleted_at" IS NULL',
    'CREATE INDEX IF NOT EXISTS "time_entry_user_started_at" ON "time_entry" ("user_id", "started_at")',
    'CREATE INDEX IF NOT EXISTS "time_entry_task_id" ON "time_entry" ("task_id", "started_at")',
]

# The audit actions time_entry_edit and time_entry_delete are longer than 16 characters.
POSTGRES_ONLY = ['ALTER TABLE "task_progress" ALTER COLUMN "action" TYPE VARCHAR(32)']



def statements(dialect):
    extra = POSTGRES_ONLY if dialect == "postgres" else []
    return [sql.format(**TYPES[dialect]) for sql in SQL] + extra
