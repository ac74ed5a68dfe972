"""Who may read and decide on whose timesheets, absences and time reports: the team scope
(services/people/scope.py). Admins and owners decide on everyone's but their own; a team's leads
on its people's; a team's viewers read them (payroll, HR) and decide nothing. Anyone reads their
own. A sheet outside the caller's scope is answered as a missing one."""
from server.services.people import scope as people_scope


def _id(person):
    return getattr(person, "id", person)


def may_read(user, owner):
    """Whether `user` may see the sheets, absences and reports of `owner`."""
    owner_id = _id(owner)
    return owner_id == user.id or people_scope.of(user).sees_user(owner_id)


def may_approve(user, sheet_owner):
    """Whether `user` may approve, reject (and list) the sheets and absences of `sheet_owner`."""
    return approves(user)(sheet_owner)


def may_review(user):
    """Whether `user` approves anyone's sheets at all (the lists and pages for approvers)."""
    return bool(user.is_admin) or people_scope.of(user).writes


def may_reopen(user):
    """Only an admin reopens an approved week (payroll has closed it)."""
    return bool(user.is_admin)


def approves(user):
    """`may_approve` for many owners at once: one scope read, then a set lookup per owner."""
    rule = None if user.is_admin else people_scope.of(user)
    return lambda owner: _id(owner) != user.id and (rule is None or _id(owner) in rule.managed)
