"""What holds until the writer's current transaction ends: facts learned under the chain lock
(the audit chain's head, the newest event id) and the events written, which the bus takes in
after COMMIT. Outside the writer's transactions there is no scope and the services read instead."""
import threading

_current = threading.local()


class Scope:
    __slots__ = ("facts", "events")

    def __init__(self):
        self.facts = {}
        self.events = []

    def mark(self):
        return len(self.events), dict(self.facts)

    def undo(self, mark):
        """Forget what a write that rolled back added (its savepoint is gone, so are its facts)."""
        event_count, facts = mark
        del self.events[event_count:]
        self.facts = facts


def begin():
    _current.scope = Scope()
    return _current.scope


def end():
    _current.scope = None


def current():
    """The writer thread's scope while a group is in its transaction, else None."""
    return getattr(_current, "scope", None)
