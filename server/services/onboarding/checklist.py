"""The first-run checklist the monitor shows on a fresh install (never on the demo): invite
people, create a project, assign a task, get employees into the web or desktop app. Each step
ticks itself when the database shows it done; an admin may hide the list for everyone."""
from server.store.models import ApiToken, Project, Task, User
from server.store.outbox_models import AppSecret
from server.services.language.text import N_

DEMO_TASKS = "demo_tasks"  # app_secret row server/demo.py writes when it seeds the demo company
DISMISSED = "checklist_dismissed"  # app_secret row: an admin hid the checklist


def _employee_signed_in():
    """Whether any employee has signed in anywhere (web app, desktop app, API)."""
    return (ApiToken.select().join(User, on=(ApiToken.user == User.id))
            .where(User.role == "EMPLOYEE").exists())


def steps():
    """[{key, title, done}] in the order a new company takes them (titles said by the page)."""
    return [
        {"key": "people", "title": N_("Invite your people"),
         "done": User.select().where(User.role == "EMPLOYEE").exists()},
        {"key": "project", "title": N_("Create a project"), "done": Project.select().exists()},
        {"key": "task", "title": N_("Assign a first task"), "done": Task.select().exists()},
        {"key": "apps", "title": N_("Get employees into the web app or the desktop app"),
         "done": _employee_signed_in()},
    ]


def checklist():
    """The steps to show, or None: on the demo's database, once hidden, or with every step done."""
    if AppSecret.select().where(AppSecret.name.in_((DEMO_TASKS, DISMISSED))).exists():
        return None
    found = steps()
    return None if all(step["done"] for step in found) else found


def dismiss():
    """Hide the checklist for every admin (on the writer)."""
    AppSecret.insert(name=DISMISSED, value="1").on_conflict_ignore().execute()
