"""Teams and memberships (member / lead / viewer), SPEC 11.1, docs/teams.md.

The one scope rule itself is services/people/scope.py (`scope.of(user)`: which people, and so
which tasks, presence, comments and time entries, a user may see and change), low in the
layers so that every service may ask it. Here: `service` keeps teams and memberships (each
change one transaction with its log row and push event); `guard` wraps the admin writes with a
lead's limits; `reads` narrows statistics, exports and dependency links to a scope; `profile`
is GET/PATCH /api/me/; `directory` is what directory sign-ins call."""
