"""The token cache and the task-list ETag cache (server/push/caches.py) against a real database: what
they keep, what makes them forget, and that a change is never answered from a stale entry."""
import datetime

import pytest

from server import settings
from server.push.caches import ListTags, TokenCache
from server.push.bus import Bus
from server.store.database import db
from server.store.models import ApiToken, User
from server.store.times import utcnow
from server.services.people import auth
from server.services.tasks import progress, tasks
from server.services.core.errors import Unauthorized
from support.db import count_queries


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def person(name, role="EMPLOYEE"):
    with db.atomic():
        return User.create(username=name, full_name=name.title(), role=role, password_hash="x")


def token_for(user, kind="api"):
    with db.atomic():
        return auth.issue_token(user, kind)


def new_task(admin, assignee, due=None):
    fields = {"title": "t", "description": "", "assignee_id": assignee.id, "project_id": None,
              "due_date": due, "priority": "MEDIUM"}
    with db.atomic():
        return tasks.create(admin, fields)


def test_a_cached_token_costs_no_query_until_it_expires(database):
    ann = person("ann")
    token, clock = token_for(ann), Clock()
    cache = TokenCache(ttl=10, clock=clock)
    (row, user), first = count_queries(lambda: cache.resolve(token))
    assert user.id == ann.id and first == 1
    assert count_queries(lambda: cache.resolve(token))[1] == 0
    clock.now += 10
    assert count_queries(lambda: cache.resolve(token))[1] == 1  # expired: looked up again


def test_a_refusal_is_not_cached(database):
    ann = person("ann")
    cache = TokenCache(ttl=10, clock=Clock())
    for _ in range(2):
        with pytest.raises(Unauthorized):
            cache.resolve("not-a-token")
    token = token_for(ann)
    with pytest.raises(Unauthorized):
        cache.resolve(token, kind="session")  # an API token is not a page session
    assert cache.resolve(token)[1].id == ann.id


def test_forget_drops_one_token_or_all_of_a_users(database):
    ann, bob = person("ann"), person("bob")
    first, second, bobs = token_for(ann), token_for(ann), token_for(bob)
    cache = TokenCache(ttl=100, clock=Clock())
    rows = {t: cache.resolve(t)[0] for t in (first, second, bobs)}
    with db.atomic():
        auth.revoke_token(rows[first].id)
    cache.forget(token_id=rows[first].id)
    with pytest.raises(Unauthorized):
        cache.resolve(first)
    assert cache.resolve(second)[1].id == ann.id
    with db.atomic():
        auth.update_user(ann.id, {"is_active": False})
    cache.forget(user_id=ann.id)
    with pytest.raises(Unauthorized):
        cache.resolve(second)
    assert count_queries(lambda: cache.resolve(bobs))[1] == 0  # bob's entry was kept


def test_a_session_past_its_idle_time_is_refused_even_when_cached(database):
    ann = person("ann")
    token = token_for(ann, "session")
    cache = TokenCache(ttl=100, clock=Clock())
    row, _user = cache.resolve(token, kind="session", idle_seconds=3600)
    row.last_used_at = utcnow() - datetime.timedelta(hours=2)
    with pytest.raises(Unauthorized):
        cache.resolve(token, kind="session", idle_seconds=3600)


def test_role_change_and_disable_ask_for_their_sockets_to_close(database):
    ann = person("ann")
    with db.atomic():
        assert auth.update_user(ann.id, {"full_name": "Ann B"})[1] is False
        assert auth.update_user(ann.id, {"role": "ADMIN"})[1] is True
        assert auth.update_user(ann.id, {"is_active": False})[1] is True
    assert not ApiToken.select().where(ApiToken.user == ann.id, ~ApiToken.revoked).exists()


@pytest.fixture
def bus(database):
    bus = Bus(dict(settings.DEFAULTS, db="unused"))
    bus.load()
    return bus


def test_a_list_tag_is_reused_until_an_event_touches_its_owner(bus):
    boss, ann, bob = person("boss", "ADMIN"), person("ann"), person("bob")
    task = new_task(boss, ann)
    tags = ListTags(bus)
    bus.refresh()
    tag, first = count_queries(lambda: tags.get(ann))
    assert first == 1 and count_queries(lambda: tags.get(ann)) == (tag, 0)
    new_task(boss, bob)
    bus.refresh()
    assert count_queries(lambda: tags.get(ann)) == (tag, 0)  # bob's task: ann's tag stands
    fields = {"progress_percentage": 40, "notes": "", "occupancy_status": None, "client_update_id": None,
              "client_timestamp": None}
    with db.atomic():
        progress.record_progress(ann, task["id"], fields)
    assert tags.get(ann) == tag  # not taken in by the bus yet: the same as a poll a moment earlier
    bus.refresh()
    assert tags.get(ann) != tag
    assert tags.get(ann) == tasks.list_tag(ann)[0]


def test_a_task_reassigned_away_changes_the_former_owners_tag(bus):
    boss, ann, bob = person("boss", "ADMIN"), person("ann"), person("bob")
    task = new_task(boss, ann)
    bus.refresh()
    tags = ListTags(bus)
    before = tags.get(ann)
    with db.atomic():
        tasks.edit(boss, task["id"], {"assignee_id": bob.id})
    bus.refresh()
    assert tags.get(ann) != before and tags.get(ann) == tasks.list_tag(ann)[0]


def test_a_list_tag_ends_when_a_due_date_passes_or_the_name_changes(bus):
    boss, ann = person("boss", "ADMIN"), person("ann")
    due = utcnow() + datetime.timedelta(seconds=90)
    new_task(boss, ann, due=due)
    bus.refresh()
    clock = Clock(datetime.datetime.now(datetime.timezone.utc).timestamp())
    tags = ListTags(bus, clock=clock)
    before = tags.get(ann)
    _tag, until = tasks.list_tag(ann)
    assert until <= due.replace(tzinfo=datetime.timezone.utc).timestamp()
    clock.now = until
    assert count_queries(lambda: tags.get(ann))[1] == 1  # the clock passed: computed again
    renamed = User(id=ann.id, username=ann.username, full_name="Ann Renamed", role=ann.role)
    assert tags.get(renamed) != before
