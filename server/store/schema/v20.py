"""Migration 20's schema, frozen as SQL: SCIM Groups (= teams, SPEC 11.2). A team is a group
already; what SCIM adds is the externalId its client gave a group and the `display` it sent
with a member (SCIM keeps both as given)."""
from server.store.schema.v1 import TYPES


SQL = [
    # The externalId of a team the SCIM client provisions (a row only when it sent one).
    'CREATE TABLE IF NOT EXISTS "scim_group" ("team_id" INTEGER NOT NULL PRIMARY KEY, '
    '"external_id" VARCHAR(255) NOT NULL, '
    'FOREIGN KEY ("team_id") REFERENCES "team" ("id") ON DELETE CASCADE)',
    # A member's display as the client sent it; it goes with the membership.
    'CREATE TABLE IF NOT EXISTS "scim_member" ("team_member_id" INTEGER NOT NULL PRIMARY KEY, '
    '"display" VARCHAR(255) NOT NULL, '
    'FOREIGN KEY ("team_member_id") REFERENCES "team_member" ("id") ON DELETE CASCADE)',
]


def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
