"""Migration 5's tables, frozen as SQL: webhook endpoints, their delivery outbox, calendar feeds."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    'CREATE TABLE IF NOT EXISTS "webhook" ("id" {pk} NOT NULL PRIMARY KEY, "url" TEXT NOT NULL, '
    '"events" TEXT NOT NULL, "format" VARCHAR(16) NOT NULL, "description" TEXT NOT NULL, '
    '"secret" VARCHAR(64) NOT NULL, "old_secret" VARCHAR(64), "old_secret_until" {ts}, '
    '"enabled" {bool} NOT NULL, "disabled_reason" TEXT NOT NULL, "failing_since" {ts}, '
    '"lease_until" {ts}, "lease_owner" VARCHAR(64), "created_at" {ts} NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "delivery" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"webhook_id" INTEGER NOT NULL, "event_id" INTEGER NOT NULL, "event_type" VARCHAR(32) NOT NULL, '
    '"msg_id" VARCHAR(64) NOT NULL, "payload" TEXT NOT NULL, "status" VARCHAR(16) NOT NULL, '
    '"attempts" INTEGER NOT NULL, "next_attempt_at" {ts} NOT NULL, "response_code" INTEGER, '
    '"duration_ms" INTEGER, "error" TEXT NOT NULL, "created_at" {ts} NOT NULL, "finished_at" {ts}, '
    'FOREIGN KEY ("webhook_id") REFERENCES "webhook" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "delivery_webhook_id_status_id" ON "delivery" '
    '("webhook_id", "status", "id")',
    'CREATE INDEX IF NOT EXISTS "delivery_status_next_attempt_at" ON "delivery" '
    '("status", "next_attempt_at")',
    'CREATE TABLE IF NOT EXISTS "calendar_feed" ("user_id" INTEGER NOT NULL PRIMARY KEY, '
    '"salt" VARCHAR(64) NOT NULL, "token_hash" VARCHAR(64) NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "calendar_feed_token_hash" ON "calendar_feed" ("token_hash")',
    'CREATE TABLE IF NOT EXISTS "app_secret" ("name" VARCHAR(64) NOT NULL PRIMARY KEY, '
    '"value" VARCHAR(128) NOT NULL)',
]



def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
