"""What an edit form really changes: the fields that differ from the stored task."""
from server.store.models import Task
from server.services.core.errors import NotFound
from server.services.language.text import _l

EDITABLE = ("title", "description", "assignee_id", "project_id", "priority", "due_date")


def changed_fields(task_id, fields):
    """Only what differs from the stored task, so saving an untouched form writes nothing."""
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFound(_l("task %(task_id)s does not exist", task_id=task_id))
    current = {name: getattr(task, name) for name in EDITABLE}
    changed = {k: v for k, v in fields.items() if current.get(k) != v}
    due, stored = changed.get("due_date"), task.due_date
    if due and stored and abs((due - stored).total_seconds()) < 60:
        del changed["due_date"]  # the form shows minutes; unchanged seconds are not an edit
    return changed
