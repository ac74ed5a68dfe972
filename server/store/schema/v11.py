"""Migration 11's tables, frozen as SQL: comments, every revision of their text, the task's count."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    'ALTER TABLE "task" ADD COLUMN "comment_count" INTEGER NOT NULL DEFAULT 0',
    'CREATE TABLE IF NOT EXISTS "comment" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"task_id" INTEGER NOT NULL, "author_id" INTEGER NOT NULL, "body" TEXT, '
    '"revision" INTEGER NOT NULL, "deleted" {bool} NOT NULL, "client_comment_id" VARCHAR(64), '
    '"request_fingerprint" VARCHAR(64), "created_at" {ts} NOT NULL, "edited_at" {ts}, '
    '"deleted_at" {ts}, "deleted_by_id" INTEGER, '
    'FOREIGN KEY ("task_id") REFERENCES "task" ("id"), '
    'FOREIGN KEY ("author_id") REFERENCES "user" ("id"), '
    'FOREIGN KEY ("deleted_by_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "comment_task_id_id" ON "comment" ("task_id", "id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "comment_author_id_client_comment_id" ON "comment" '
    '("author_id", "client_comment_id")',
    'CREATE TABLE IF NOT EXISTS "comment_revision" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"comment_id" INTEGER NOT NULL, "revision" INTEGER NOT NULL, "body" TEXT NOT NULL, '
    '"editor_id" INTEGER NOT NULL, "audit_id" INTEGER NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("comment_id") REFERENCES "comment" ("id"), '
    'FOREIGN KEY ("editor_id") REFERENCES "user" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "comment_revision_comment_id_revision" ON "comment_revision" '
    '("comment_id", "revision")',
]



def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
