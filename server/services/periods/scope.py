"""Who may decide on whose timesheets and absences.

Today: admins, on everyone's but their own. The teams feature (issue 25) widens this to a team's
leads over its members: `may_approve` is the one seam it changes; nothing else asks."""


def may_approve(user, sheet_owner):
    """Whether `user` may approve, reject (and list) the sheets and absences of `sheet_owner`."""
    owner_id = getattr(sheet_owner, "id", sheet_owner)
    return bool(user.is_admin) and user.id != owner_id


def may_review(user):
    """Whether `user` approves anyone's sheets at all (the lists and pages for approvers)."""
    return bool(user.is_admin)


def may_reopen(user):
    """Only an admin reopens an approved week (payroll has closed it)."""
    return bool(user.is_admin)
