"""The bus's ring: the newest committed events in id order, and the same events by person.

An employee sees only the events naming them (as the subject, or as the former assignee of a
task given away). When thousands of sockets resume at once after a restart or an outage, each
from its own old cursor, a catch-up that looked at every event since its cursor would cost the
storm (sockets x events) on the event loop; by person it costs each socket its own events."""
import collections


class Ring:
    def __init__(self, size):
        self.items = collections.deque(maxlen=size)
        self.by_person = {}  # user id -> deque of the held items naming them, in id order
        self.floor = 0  # every event with floor < id <= last_id is held
        self.last_id = 0

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def load(self, items, floor):
        """Start from `items` (in id order), every event after `floor` up to the last of them."""
        for item in items:
            self.push(item)
        self.floor = floor

    def push(self, item):
        if len(self.items) == self.items.maxlen:
            oldest = self.items[0]
            self.floor = oldest.id
            for person in named(oldest):
                theirs = self.by_person[person]
                theirs.popleft()  # each person's deque is in id order: the oldest is first
                if not theirs:
                    del self.by_person[person]
        self.items.append(item)
        self.last_id = item.id
        for person in named(item):
            self.by_person.setdefault(person, collections.deque()).append(item)

    def after(self, after, limit):
        """The first `limit` held events after id `after`."""
        return _newest_after(self.items, after)[:limit]

    def naming(self, user_id, after, limit):
        """The first `limit` held events after id `after` that name the user."""
        return _newest_after(self.by_person.get(user_id, ()), after)[:limit]


def named(item):
    """The people an event names: its subject and a former subject, once each."""
    if item.former is None or item.former == item.subject:
        return () if item.subject is None else (item.subject,)
    return (item.former,) if item.subject is None else (item.subject, item.former)


def _newest_after(items, after):
    """The items with an id above `after`, in id order, found from the newest end."""
    picked = []
    for item in reversed(items):
        if item.id <= after:
            break
        picked.append(item)
    picked.reverse()
    return picked
