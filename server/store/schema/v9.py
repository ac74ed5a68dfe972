"""Migration 9's table, frozen as SQL: finish-to-start links between tasks."""
from server.store.schema.v1 import TYPES  # the column types per backend, frozen with schema 1


SQL = [
    'CREATE TABLE IF NOT EXISTS "task_dependency" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"task_id" INTEGER NOT NULL, "depends_on_id" INTEGER NOT NULL, "created_by_id" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("task_id") REFERENCES "task" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("depends_on_id") REFERENCES "task" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("created_by_id") REFERENCES "user" ("id"), '
    'CHECK ("task_id" <> "depends_on_id"))',
    # (task, predecessor) is unique and answers "what does it depend on"; the other index walks
    # down to the dependents.
    'CREATE UNIQUE INDEX IF NOT EXISTS "task_dependency_task_id_depends_on_id" '
    'ON "task_dependency" ("task_id", "depends_on_id")',
    'CREATE INDEX IF NOT EXISTS "task_dependency_depends_on_id_task_id" '
    'ON "task_dependency" ("depends_on_id", "task_id")',
]



def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
