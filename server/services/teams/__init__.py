"""Teams, memberships (member / lead / viewer) and the one scope rule (SPEC 11.1).

`scope.of(user)` answers which people (and so which tasks, presence, comments, time entries)
a user may see and change; every read and write asks it. `service` keeps teams and memberships
(each change one transaction with its log row and its push event); `guard` wraps the admin
writes with the lead's limits; `profile` is GET/PATCH /api/me/; `reads` scopes the statistics,
the exports and the calendar."""
