"""The writes leads may make, wrapped with the scope rule (run on the writer, inside the write's
own transaction, so a membership changed a moment ago counts). Admins and owners pass through;
viewers are refused (403) before anything is read; a lead reaches only the people of the teams
they lead, and anything outside the scope is refused exactly as a missing object is."""
from server.store.models import Task, User
from server.services.core.errors import Forbidden, NotFound, ValidationError
from server.services.tasks import links as dependencies, projects, tasks
from server.services.people import scope as scope_rule
from server.services.language.text import _l

READ_ONLY = _l("team viewers read; they change nothing")


def writer_scope(user):
    """The scope of a user about to change someone's work; Forbidden for those who only read."""
    rule = scope_rule.of(user)
    if not rule.writes:
        raise Forbidden(READ_ONLY)
    return rule


def _assignee(rule, user_id):
    """A lead assigns only to the people of the teams they lead: anyone else is refused with the
    message an unknown user gets."""
    if rule.manages_user(user_id):
        return
    found = User.get_or_none(User.id == user_id)
    if found is None or not found.is_active or not rule.manages_user(found.id):
        raise ValidationError(_l("assignee_id %(user_id)s is not an active user",
                                 user_id=user_id), "assignee_id")


def managed_task(rule, task_id, field=None):
    """The Task row a lead may change: missing and outside the scope answer alike (404); a task
    they read but do not lead (as a viewer of its team) is refused with 403."""
    task = Task.get_or_none(Task.id == task_id)
    if task is None or not rule.sees_user(task.assignee_id):
        raise NotFound(_l("task %(task_id)s does not exist", task_id=task_id), field)
    if not rule.manages_user(task.assignee_id):
        raise Forbidden(_l("task %(task_id)s belongs to a team you view, not one you lead",
                           task_id=task_id))
    return task


def create_task(user, fields, rules=None):
    """tasks.create within the scope (`rules`: the app's stale policy, passed on)."""
    rule = writer_scope(user)
    _assignee(rule, fields["assignee_id"])
    projects.check_open(fields.get("project_id"))
    return tasks.create(user, fields, rules)


def edit_task(user, task_id, fields, rules=None):
    """Edit, reassign or cancel; a lead's reassignment stays inside the teams they lead."""
    rule = writer_scope(user)
    if not rule.everything:
        managed_task(rule, task_id)
        if "assignee_id" in fields:
            _assignee(rule, fields["assignee_id"])
    return tasks.edit(user, task_id, fields, rules)


def link(user, task_id, depends_on):
    """A lead links their task to any task they see; one outside the scope is as missing."""
    rule = writer_scope(user)
    if not rule.everything:
        managed_task(rule, task_id)
        other = Task.get_or_none(Task.id == depends_on)
        if other is None or not rule.sees_user(other.assignee_id):
            raise NotFound(_l("task %(depends_on)s does not exist",
                              depends_on=depends_on), "depends_on")
    return dependencies.link(user, task_id, depends_on)


def unlink(user, task_id, depends_on):
    rule = writer_scope(user)
    if not rule.everything:
        managed_task(rule, task_id)
    return dependencies.unlink(user, task_id, depends_on)


def may_comment(user, task):
    """A comment is a change: the assignee, admins and the task's leads write one; a viewer, who
    reads the thread, does not."""
    if task["assignee"]["id"] != user.id and not scope_rule.of(user).manages_user(task["assignee"]["id"]):
        raise Forbidden(READ_ONLY)
