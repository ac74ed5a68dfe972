"""Migration 21's schema, frozen as SQL: an employee's events by person. A reconnect storm's
catch-ups read each socket's own events, not every event since its cursor (push/bus.py). The
former subject is set on few events (a task given away), so its index holds only those."""


SQL = [
    'CREATE INDEX IF NOT EXISTS "event_subject_id_id" ON "event" ("subject_id", "id")',
    'CREATE INDEX IF NOT EXISTS "event_former_subject_id_id" ON "event" ("former_subject_id", "id") '
    'WHERE "former_subject_id" IS NOT NULL',
]


def statements(dialect):
    return list(SQL)
