"""The database: peewee models, the connection, migrations and the writer's transaction scope."""
