"""peewee models of migration 16's privacy tables: who has paused their presence, who was erased."""
import peewee as pw

from server.store.models import BaseModel, User
from server.store.times import utcnow


class PresencePause(BaseModel):
    """A person on a private break: heartbeats store nothing, admins see PAUSED."""
    user = pw.ForeignKeyField(User, primary_key=True, backref="+")
    started_at = pw.DateTimeField(default=utcnow)


class Erasure(BaseModel):
    """A person erased (SPEC 11.3): the id stays so that counts and time totals stay."""
    user = pw.ForeignKeyField(User, backref="+", unique=True)
    erased_at = pw.DateTimeField(default=utcnow)
    redacted_rows = pw.IntegerField(default=0)
