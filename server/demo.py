"""A believable demo company: people, projects, tasks in every state, a day of history and presence;
and its simulated activity, which moves only the demo's own tasks, as the demo's own people."""
import datetime
import random

from server.store.database import db
from server.store.models import OccupancyInterval, Project, Task, Team, TeamMember, User
from server.store.times import utcnow
from server.services.record import audit
from server.services.tasks import forecast, stale
from server.services.people import presence as occupancy
from server.services.tasks.progress import record_progress
from server.services.tasks.view import status_for
from server.store.models import ApiToken
from server.store.outbox_models import AppSecret
from server.services.onboarding.checklist import DEMO_TASKS

PEOPLE = [
    ("OWNER", "olivia", "Olivia Owens"),
    ("ADMIN", "adam", "Adam Adler"),
    ("EMPLOYEE", "emma", "Emma Schmidt"),
    ("EMPLOYEE", "liam", "Liam Novak"),
    ("EMPLOYEE", "sofia", "Sofia Rossi"),
    ("EMPLOYEE", "noah", "Noah Kim"),
    ("EMPLOYEE", "mia", "Mia Laurent"),
    ("EMPLOYEE", "lucas", "Lucas Silva"),
    ("EMPLOYEE", "ava", "Ava Johansson"),
    ("EMPLOYEE", "ethan", "Ethan Okafor"),
]
# Two teams, each with a lead (who gets the dashboard for their people) and members; Operations
# has Bavaria's public holidays (docs/teams.md).
TEAMS = [("Web", "", "", "noah", ("emma", "liam", "sofia")),
         ("Operations", "DE", "BY", "lucas", ("mia", "ava", "ethan"))]
PASSWORDS = {"OWNER": "owner-demo-pass", "ADMIN": "admin-demo-pass", "EMPLOYEE": "employee-demo-pass"}
PROJECTS = [
    ("Website relaunch", "New marketing site, shop integration and content migration."),
    ("Mobile app 2.0", "Offline mode, push notifications and the new onboarding."),
    ("Q4 operations", "Audits, inventory and the year-end close."),
]
TITLES = [
    "Migrate product pages", "Write release notes", "Fix checkout tax rounding", "Design onboarding screens",
    "Set up crash reporting", "Inventory count: warehouse B", "Prepare VAT return", "Review vendor contracts",
    "Translate help center (DE)", "Load-test the API", "Accessibility audit", "Refresh brand photos",
    "Customer interview notes", "Rotate TLS certificates", "Clean up CRM duplicates", "Plan team offsite",
    "Push notification opt-in", "Update privacy policy", "Dark mode palette", "Year-end invoice run",
    "Replace office printer", "SEO redirects map", "App Store screenshots", "Onboard new contractor",
    "Backup restore drill", "Quarterly KPI deck", "Newsletter template", "Support macros cleanup",
    "Offline sync edge cases", "Expense policy update", "Analytics event naming",
]
NOTES = ["Started, first draft in progress", "Blocked on review, pinged the team", "Halfway there",
         "Most of the work done, polishing", "Waiting for input from finance", "Good progress today",
         "Fixed the edge cases", "Ready for a final check"]


def seed_if_empty(hasher, seed=7, now=None, stale_policy=None):
    """Fill an empty database; returns [(role, username, password)] or [] if it had users."""
    if User.select().exists():
        return []
    rng = random.Random(seed)
    now = (now or utcnow()).replace(microsecond=0)
    hashes = {role: hasher.hash(pw) for role, pw in PASSWORDS.items()}
    with db.atomic():
        users = [User.create(username=u, full_name=n, role=r, password_hash=hashes[r],
                             created_at=now - datetime.timedelta(days=30)) for r, u, n in PEOPLE]
        admin, employees = users[1], users[2:]
        projects = [Project.create(name=n, description=d) for n, d in PROJECTS]
        plan = _tasks_with_history(rng, now, admin, employees, projects)
        ids = [spec["task"].id for spec in plan]
        AppSecret.create(name=DEMO_TASKS, value="%d-%d" % (min(ids), max(ids)))
        _occupancy(rng, now, employees)
        _teams({user.username: user for user in users}, now)
        forecast.backfill()  # the history above was written directly: derive each pace
        stale.check(now, stale_policy)
    return logins()


def _teams(by_name, now):
    for name, country, region, lead, members in TEAMS:
        team = Team.create(name=name, description="The demo's %s team" % name.lower(),
                           country=country or None, region=region or None, created_at=now)
        for username in (lead,) + members:
            TeamMember.create(team=team, user=by_name[username], created_at=now,
                              role="lead" if username == lead else "member")


def logins():
    """[(role, username, password)] of every person of the demo company."""
    return [(r, u, PASSWORDS[r]) for r, u, _n in PEOPLE]


def has_demo():
    """Whether this database holds the demo company (seeded by an earlier --demo run)."""
    return AppSecret.get_or_none(AppSecret.name == DEMO_TASKS) is not None


def demo_task_ids():
    """The ids of the tasks the demo seeded (none on a database it did not fill)."""
    row = AppSecret.get_or_none(AppSecret.name == DEMO_TASKS)
    if row is None:
        return range(0)
    first, last = row.value.split("-")
    return range(int(first), int(last) + 1)


def _tasks_with_history(rng, now, admin, employees, projects):
    plan, actions = [], []
    targets = [0, 0, 0, 100, 100, 100, 100, 100] + [rng.randrange(5, 96, 5) for _ in range(20)]
    for index, title in enumerate(TITLES[:30]):
        created = now - datetime.timedelta(hours=rng.randint(20, 120), minutes=rng.randint(0, 59))
        due = None if index % 7 == 3 else now + datetime.timedelta(hours=rng.randint(-40, 160))
        target = targets[index] if index < len(targets) else 50
        task = dict(title=title, assignee=employees[index % len(employees)],
                    project=projects[index % len(projects)] if index % 5 else None,
                    priority=("LOW", "MEDIUM", "HIGH", "URGENT")[rng.randrange(4) if index > 3 else index],
                    due_date=due, created_at=created, cancel=index in (12, 25), target=target)
        plan.append(task)
        actions.append((created, "create", task, 0))
        steps = sorted(rng.sample(range(5, 100, 5), k=min(3, target // 20))) if target else []
        span = (now - created).total_seconds()
        reports = [s for s in steps if s < target] + ([target] if target else [])
        for i, progress_percentage in enumerate(reports):
            when = created + datetime.timedelta(seconds=span * (i + 1) / (len(steps) + 2))
            actions.append((when, "progress", task, progress_percentage))
        if task["cancel"]:
            actions.append((now - datetime.timedelta(hours=2), "cancel", task, None))
    actions.sort(key=lambda a: a[0])
    for when, kind, spec, progress_percentage in actions:
        _apply(rng, when, kind, spec, progress_percentage, admin)
    return plan


def _apply(rng, when, kind, spec, progress_percentage, admin):
    if kind == "create":
        task = Task.create(title=spec["title"], description="Part of %s." % (
            spec["project"].name if spec["project"] else "general work"), assignee=spec["assignee"],
            project=spec["project"], created_by=admin, priority=spec["priority"],
            due_date=spec["due_date"], created_at=when, updated_at=when)
        spec["task"] = task
        audit.append(task_id=task.id, user_id=admin.id, action="create", new_percentage=0,
                     new_status="PENDING", notes="Assigned to %s" % spec["assignee"].username,
                     task_version=1, created_at=when)
        return
    task = spec["task"]
    before_pct, before_status = task.progress_percentage, task.status
    if kind == "cancel":
        task.status, user, notes = "CANCELLED", admin, "Cancelled: no longer needed"
    else:
        task.progress_percentage, user = progress_percentage, spec["assignee"]
        task.status = status_for(progress_percentage)
        task.last_progress_update_at, task.last_progress_updated_by = when, user
        task.completed_at = when if progress_percentage == 100 else None
        notes = "Done and verified" if progress_percentage == 100 else rng.choice(NOTES)
    task.version += 1
    task.updated_at = when
    task.save()
    audit.append(task_id=task.id, user_id=user.id, action="complete" if progress_percentage == 100 else kind,
                 previous_percentage=before_pct, new_percentage=task.progress_percentage,
                 previous_status=before_status, new_status=task.status, notes=notes,
                 occupancy_status="ACTIVE" if kind != "cancel" else None, task_version=task.version,
                 created_at=when)


def _occupancy(rng, now, employees):
    """A working day for each employee: stretches of ACTIVE with IDLE breaks, some still online."""
    for index, user in enumerate(employees):
        start = now - datetime.timedelta(hours=rng.uniform(9, 11))
        end = now - datetime.timedelta(minutes=rng.uniform(30, 90)) if index % 3 == 2 else now
        cursor, status = start, "ACTIVE"
        while cursor < end:
            length = datetime.timedelta(minutes=rng.uniform(25, 80) if status == "ACTIVE"
                                        else rng.uniform(5, 20))
            stop = min(cursor + length, end)
            still_open = stop == end and end == now
            OccupancyInterval.create(user=user, status=status, started_at=cursor, ended_at=stop,
                                     closed=not still_open)
            cursor, status = stop, "IDLE" if status == "ACTIVE" else "ACTIVE"


class Simulator:
    """With --demo, the company keeps working: presence heartbeats and now and then some progress,
    through the same services as real clients, so the monitor has something to show live. It acts
    only on the tasks the demo seeded, and only as the demo's employees that nobody has signed
    in as: a person trying the app as `emma` sees only their own changes on emma's tasks, and a
    task a real user created never moves by itself."""

    def __init__(self, svc, seed=11, progress_every=20.0, heartbeat_every=30.0):
        self.svc, self.rng = svc, random.Random(seed)
        self.progress_every, self.heartbeat_every = progress_every, heartbeat_every
        self.callbacks = []

    def start(self):
        import tornado.ioloop
        for every, job in ((self.heartbeat_every, self.heartbeat), (self.progress_every, self.progress)):
            callback = tornado.ioloop.PeriodicCallback(job, every * 1000, jitter=0.3)
            callback.start()
            self.callbacks.append(callback)
        self.heartbeat()

    def stop(self):
        for callback in self.callbacks:
            callback.stop()

    def _employees(self):
        """The demo's employees no one has signed in as (any token, even a revoked one)."""
        names = [u for role, u, _n in PEOPLE if role == "EMPLOYEE"]
        signed_in = ApiToken.select(ApiToken.user).distinct()
        return list(User.select().where(User.username.in_(names), User.is_active == True,  # noqa: E712
                                         User.id.not_in(signed_in)).order_by(User.id))

    def heartbeat(self):
        people = self._employees()
        for index, user in enumerate(people[:6]):  # two stay offline
            status = "IDLE" if self.rng.random() < 0.2 else "ACTIVE"
            done = self.svc.writer.submit(occupancy.heartbeat, user, status,
                                          240 if status == "IDLE" else None, None,
                                          occupancy.DEFAULT_OFFLINE_AFTER,
                                          self.svc.settings["presence_detail"])
            done.add_done_callback(lambda f: f.exception())

    def progress(self):
        """Now and then, one progress report on an open demo task of a simulated employee."""
        ids = demo_task_ids()
        open_tasks = list(Task.select().where(Task.status.in_(("PENDING", "IN_PROGRESS")),
                                              Task.id.between(ids.start, ids.stop - 1),
                                              Task.assignee.in_([u.id for u in self._employees()[:6]])))
        if not open_tasks:
            return
        task = self.rng.choice(open_tasks)
        step = self.rng.choice((5, 5, 10, 10, 15))
        fields = {"progress_percentage": min(100, task.progress_percentage + step),
                  "notes": self.rng.choice(NOTES), "occupancy_status": "ACTIVE",
                  "client_update_id": None, "client_timestamp": None}
        done = self.svc.writer.submit(record_progress, task.assignee, task.id, fields, False,
                                      self.svc.stale_policy)
        done.add_done_callback(lambda f: f.exception())
