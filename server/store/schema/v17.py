"""Migration 17's schema, frozen as SQL: teams (with the country / region of their public
holidays), their memberships (member / lead / viewer), the
append-only log of team changes, users' locale and time zone, the team an event is about,
archived projects and one-time set-password links."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    'CREATE TABLE IF NOT EXISTS "team" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(200) NOT NULL, "description" TEXT NOT NULL, "created_at" {ts} NOT NULL, '
    '"country" VARCHAR(8), "region" VARCHAR(64))',
    # Unique whatever its case: "Sales" and "sales" are one team to the people reading the names.
    'CREATE UNIQUE INDEX IF NOT EXISTS "team_name_lower" ON "team" (lower("name"))',
    'CREATE TABLE IF NOT EXISTS "team_member" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"team_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, "role" VARCHAR(16) NOT NULL, '
    '"source" VARCHAR(32) NOT NULL DEFAULT \'\', "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("team_id") REFERENCES "team" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "team_member_team_id_user_id" ON "team_member" '
    '("team_id", "user_id")',
    'CREATE INDEX IF NOT EXISTS "team_member_user_id" ON "team_member" ("user_id")',
    # Every team change, kept like the audit trail: rows are only ever added (triggers below).
    'CREATE TABLE IF NOT EXISTS "team_log" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"team_id" INTEGER NOT NULL, "team_name" VARCHAR(200) NOT NULL, "actor_id" INTEGER, '
    '"action" VARCHAR(32) NOT NULL, "user_id" INTEGER, "role" VARCHAR(16), '
    '"notes" TEXT NOT NULL, "created_at" {ts} NOT NULL)',
    'CREATE INDEX IF NOT EXISTS "team_log_team_id_id" ON "team_log" ("team_id", "id")',
    'ALTER TABLE "user" ADD COLUMN "locale" VARCHAR(16)',
    'ALTER TABLE "user" ADD COLUMN "time_zone" VARCHAR(64)',
    'ALTER TABLE "event" ADD COLUMN "team_id" INTEGER',
    # Projects can be archived (kept on their tasks, no longer offered for new ones).
    'ALTER TABLE "project" ADD COLUMN "archived_at" {ts}',
    # One-time set-password links an admin sends from the People page: only the digest is kept.
    'CREATE TABLE IF NOT EXISTS "password_link" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "token_hash" VARCHAR(64) NOT NULL, "created_by_id" INTEGER, '
    '"created_at" {ts} NOT NULL, "expires_at" {ts} NOT NULL, "used_at" {ts}, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "password_link_token_hash" ON "password_link" ("token_hash")',
    'CREATE INDEX IF NOT EXISTS "password_link_user_id" ON "password_link" ("user_id")',
]

TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS team_log_no_update BEFORE UPDATE ON team_log
           BEGIN SELECT RAISE(ABORT, 'the team log is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS team_log_no_delete BEFORE DELETE ON team_log
           BEGIN SELECT RAISE(ABORT, 'the team log is append-only'); END""",
    ],
    "postgres": [
        """CREATE OR REPLACE FUNCTION team_log_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'the team log is append-only'; END; $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS team_log_no_change ON team_log",
        """CREATE TRIGGER team_log_no_change BEFORE UPDATE OR DELETE ON team_log
           FOR EACH ROW EXECUTE FUNCTION team_log_append_only()""",
    ],
}


def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL] + TRIGGERS[dialect]
