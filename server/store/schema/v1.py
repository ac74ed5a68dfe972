"""The first schema, frozen as SQL: migration 1 must build exactly this, whatever the models become."""

SQL = [
    'CREATE TABLE IF NOT EXISTS "user" ("id" {pk} NOT NULL PRIMARY KEY, "username" VARCHAR(64) NOT NULL, "full_name" VARCHAR(200) NOT NULL, "role" VARCHAR(16) NOT NULL, "password_hash" VARCHAR(255) NOT NULL, "is_active" {bool} NOT NULL, "created_at" {ts} NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "user_username" ON "user" ("username")',
    'CREATE TABLE IF NOT EXISTS "api_token" ("id" {pk} NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "token_hash" VARCHAR(64) NOT NULL, "kind" VARCHAR(16) NOT NULL, "created_at" {ts} NOT NULL, "last_used_at" {ts}, "revoked" {bool} NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "api_token_user_id" ON "api_token" ("user_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "api_token_token_hash" ON "api_token" ("token_hash")',
    'CREATE TABLE IF NOT EXISTS "project" ("id" {pk} NOT NULL PRIMARY KEY, "name" VARCHAR(200) NOT NULL, "description" TEXT NOT NULL, "created_at" {ts} NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "project_name" ON "project" ("name")',
    'CREATE TABLE IF NOT EXISTS "task" ("id" {pk} NOT NULL PRIMARY KEY, "title" VARCHAR(200) NOT NULL, "description" TEXT NOT NULL, "assignee_id" INTEGER NOT NULL, "project_id" INTEGER, "created_by_id" INTEGER NOT NULL, "priority" VARCHAR(16) NOT NULL, "status" VARCHAR(16) NOT NULL, "progress_percentage" INTEGER NOT NULL, "due_date" {ts}, "created_at" {ts} NOT NULL, "updated_at" {ts} NOT NULL, "completed_at" {ts}, "last_progress_update_at" {ts}, "last_progress_updated_by_id" INTEGER, "version" INTEGER NOT NULL, FOREIGN KEY ("assignee_id") REFERENCES "user" ("id"), FOREIGN KEY ("project_id") REFERENCES "project" ("id"), FOREIGN KEY ("created_by_id") REFERENCES "user" ("id"), FOREIGN KEY ("last_progress_updated_by_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "task_assignee_id" ON "task" ("assignee_id")',
    'CREATE INDEX IF NOT EXISTS "task_project_id" ON "task" ("project_id")',
    'CREATE INDEX IF NOT EXISTS "task_created_by_id" ON "task" ("created_by_id")',
    'CREATE INDEX IF NOT EXISTS "task_last_progress_updated_by_id" ON "task" ("last_progress_updated_by_id")',
    'CREATE INDEX IF NOT EXISTS "task_assignee_id_status" ON "task" ("assignee_id", "status")',
    'CREATE INDEX IF NOT EXISTS "task_status" ON "task" ("status")',
    'CREATE TABLE IF NOT EXISTS "task_progress" ("id" INTEGER NOT NULL PRIMARY KEY, "task_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, "action" VARCHAR(16) NOT NULL, "previous_percentage" INTEGER, "new_percentage" INTEGER NOT NULL, "previous_status" VARCHAR(16), "new_status" VARCHAR(16) NOT NULL, "notes" TEXT NOT NULL, "occupancy_status" VARCHAR(16), "client_update_id" VARCHAR(64), "client_timestamp" VARCHAR(64), "request_fingerprint" VARCHAR(64), "task_version" INTEGER NOT NULL, "created_at" {ts} NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, "hash" VARCHAR(64) NOT NULL, FOREIGN KEY ("task_id") REFERENCES "task" ("id"), FOREIGN KEY ("user_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "task_progress_task_id" ON "task_progress" ("task_id")',
    'CREATE INDEX IF NOT EXISTS "task_progress_user_id" ON "task_progress" ("user_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "task_progress_user_id_client_update_id" ON "task_progress" ("user_id", "client_update_id")',
    'CREATE INDEX IF NOT EXISTS "task_progress_task_id_id" ON "task_progress" ("task_id", "id")',
    'CREATE TABLE IF NOT EXISTS "event" ("id" {pk} NOT NULL PRIMARY KEY, "type" VARCHAR(32) NOT NULL, "task_id" INTEGER, "subject_id" INTEGER, "former_subject_id" INTEGER, "payload" TEXT NOT NULL, "created_at" {ts} NOT NULL, FOREIGN KEY ("task_id") REFERENCES "task" ("id"), FOREIGN KEY ("subject_id") REFERENCES "user" ("id"), FOREIGN KEY ("former_subject_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "event_task_id" ON "event" ("task_id")',
    'CREATE INDEX IF NOT EXISTS "event_subject_id" ON "event" ("subject_id")',
    'CREATE INDEX IF NOT EXISTS "event_former_subject_id" ON "event" ("former_subject_id")',
    'CREATE TABLE IF NOT EXISTS "occupancy_interval" ("id" {pk} NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "status" VARCHAR(16) NOT NULL, "started_at" {ts} NOT NULL, "ended_at" {ts} NOT NULL, "closed" {bool} NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "occupancy_interval_user_id" ON "occupancy_interval" ("user_id")',
    'CREATE INDEX IF NOT EXISTS "occupancy_interval_user_id_ended_at" ON "occupancy_interval" ("user_id", "ended_at")',
    'CREATE INDEX IF NOT EXISTS "occupancy_interval_ended_at" ON "occupancy_interval" ("ended_at")',
]

TYPES = {
    "sqlite": {"pk": "INTEGER", "ts": "DATETIME", "bool": "INTEGER"},
    "postgres": {"pk": "SERIAL", "ts": "TIMESTAMP", "bool": "BOOLEAN"},
}


def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
