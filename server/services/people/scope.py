"""The scope rule, in one place: which people (and so which tasks) a user may see and change.

Owners and admins see everything. A lead or viewer of a team sees the team's people: the users
with a `member` or `lead` membership in it (a team's viewers read it; they are not part of it).
Everyone sees themselves. A lead manages (assigns to, edits the tasks of) the people of the teams
they lead; a viewer manages nobody. A task belongs to whoever it is assigned to.

Anything outside the scope is refused exactly as a missing object is: `hidden_task` gives the
refusal a missing task id gets, to the same caller."""
from server.store.database import db, sql
from server.store.models import TeamMember
from server.services.core.errors import Forbidden, NotFound
from server.services.language.text import _l

READ_ROLES = ("lead", "viewer")
PART_ROLES = ("member", "lead")  # the roles that make a user one of the team's people

# Each team the user leads or views, with every membership of it (one query, one index seek each).
SCOPE_ROWS = ("SELECT m.team_id, m.role, o.user_id, o.role FROM team_member m "
              "JOIN team_member o ON o.team_id = m.team_id "
              "WHERE m.user_id = ? AND m.role IN ('lead', 'viewer')")
ALL_ROWS = "SELECT team_id, user_id, role FROM team_member"


class Scope:
    """What one user may see and change. `people` always holds the user; with `everything`, the
    sets are not consulted."""
    __slots__ = ("user_id", "everything", "roles", "teams", "people", "managed", "members")

    def __init__(self, user_id, everything=False, roles=None, members=None):
        """`roles`: {team id: "lead" | "viewer"} of the teams read; `members`: {team id: set of
        the team's people}."""
        self.user_id, self.everything = user_id, everything
        self.roles = dict(roles or {})
        self.members = {team: frozenset(people) for team, people in (members or {}).items()}
        self.teams = frozenset(self.roles)
        people, managed = {user_id}, set()
        for team, role in self.roles.items():
            people |= self.members.get(team, frozenset())
            if role == "lead":
                managed |= self.members.get(team, frozenset())
        self.people, self.managed = frozenset(people), frozenset(managed)

    @property
    def staff(self):
        """Whether the user gets the admin views (scoped or whole)."""
        return self.everything or bool(self.roles)

    @property
    def writes(self):
        """Whether the user may change anyone's tasks: admins, and leads."""
        return self.everything or "lead" in self.roles.values()

    def sees_user(self, user_id):
        return self.everything or user_id in self.people

    def manages_user(self, user_id):
        return self.everything or user_id in self.managed

    def sees_task(self, task):
        """`task`: a task object (its assignee decides)."""
        return self.sees_user(task["assignee"]["id"])

    def sees_team(self, team_id):
        return self.everything or team_id in self.teams

    def people_of(self, team_id):
        """The people of one team the user reads (an empty set for another team)."""
        return self.members.get(team_id, frozenset())

    def sees_event(self, subject, team=None):
        """The push rule for a scoped reader (admins and a user's own events are decided before):
        an event about one of the user's people, or about one of the teams the user reads."""
        return subject in self.people or (team is not None and team in self.teams)


def of(user):
    """The scope of a signed-in user: no query for an admin or owner, one for anyone else."""
    if user.is_admin:
        return Scope(user.id, everything=True)
    roles, members = {}, {}
    for team_id, role, other_id, other_role in db.execute_sql(sql(SCOPE_ROWS), (user.id,)).fetchall():
        roles[team_id] = role
        if other_role in PART_ROLES:
            members.setdefault(team_id, set()).add(other_id)
    return Scope(user.id, roles=roles, members=members)


def of_everyone(admin_ids=()):
    """{user id: Scope} of every user with a lead or viewer membership, from one query (the push
    sockets' scopes after a team change). `admin_ids` are given everything."""
    rows = db.execute_sql(ALL_ROWS).fetchall()
    members, roles = {}, {}
    for team_id, user_id, role in rows:
        if role in PART_ROLES:
            members.setdefault(team_id, set()).add(user_id)
        if role in READ_ROLES:
            roles.setdefault(user_id, {})[team_id] = role
    found = {user_id: Scope(user_id, roles=reads, members={t: members.get(t, ()) for t in reads})
             for user_id, reads in roles.items()}
    found.update({user_id: Scope(user_id, everything=True) for user_id in admin_ids})
    return found


def missing_task(scope, task_id):
    """The refusal of a task id that does not exist, as this caller gets it: a staff member (who
    reads many people's tasks) learns it does not exist; an employee gets the answer another's
    task gets, so that ids say nothing about what exists."""
    if scope.staff:
        return NotFound(_l("task %(task_id)s does not exist", task_id=task_id))
    return Forbidden(_l("task %(task_id)s is not assigned to you", task_id=task_id))


def hidden_task(scope, task_id):
    """The refusal of a task outside the scope: the very same as a missing one."""
    return missing_task(scope, task_id)


def task_filter(scope, column="t.assignee_id"):
    """(SQL condition, params) keeping the rows of tasks the scope sees ("1=1" for everything)."""
    if scope.everything:
        return "1=1", []
    people = sorted(scope.people)
    return "%s IN (%s)" % (column, ", ".join("?" * len(people))), people


def readers_of(user_id):
    """A subquery of the users who read `user_id`'s tasks through a team: the leads and viewers
    of every team the user is one of the people of (an @mention links them, SPEC 11.1)."""

    reader, part = TeamMember.alias("reader"), TeamMember.alias("part")
    return (reader.select(reader.user)
            .join(part, on=(part.team == reader.team))
            .where(part.user == user_id, part.role.in_(PART_ROLES), reader.role.in_(READ_ROLES)))


def rescope(holders):
    """After a team change (here or in another process): give each held push connection its
    user's new scope, from one query. Admins' connections need none; a user left with no team
    to read gets None (their own events only; a long-poll then reads its scope again)."""
    found = of_everyone()
    for holder in holders:
        holder.scope = found.get(holder.user_id)
