"""Migration 12's schema, frozen as SQL: users' e-mail, the mail outbox and what was sent once."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    'ALTER TABLE "user" ADD COLUMN "email" VARCHAR(254)',
    # Kinds of mail the user unsubscribed from, comma-separated ("" = every kind).
    'ALTER TABLE "user" ADD COLUMN "mail_off" VARCHAR(200) NOT NULL DEFAULT \'\'',
    'CREATE TABLE IF NOT EXISTS "mail" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "kind" VARCHAR(16) NOT NULL, "recipient" VARCHAR(254) NOT NULL, '
    '"subject" TEXT NOT NULL, "text_body" TEXT NOT NULL, "html_body" TEXT NOT NULL, '
    '"unsubscribe_url" TEXT NOT NULL, "status" VARCHAR(16) NOT NULL, "attempts" INTEGER NOT NULL, '
    '"next_attempt_at" {ts} NOT NULL, "error" TEXT NOT NULL, "created_at" {ts} NOT NULL, '
    '"finished_at" {ts}, "lease_until" {ts}, "lease_owner" VARCHAR(64), '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "mail_status_next_attempt_at" ON "mail" ("status", "next_attempt_at")',
    # "Sent once" memory: at-risk / overdue per task and due date, the digest per admin and day.
    'CREATE TABLE IF NOT EXISTS "mail_mark" ("key" VARCHAR(128) NOT NULL PRIMARY KEY, '
    '"created_at" {ts} NOT NULL)',
]


def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
