"""The monitor's data for a lead or viewer, or filtered by team: the app's task board (kept in
memory, board.py) narrowed to the people of a scope (services/people/scope.py), with no query
per task."""
import zlib

import orjson

from server.services.monitor import answers, board, query as board_query
from server.services.reports import statistics
from server.services.reports.statistics import summary_of
from server.services.people.scope import PART_ROLES
from server.services.teams import reads, service as team_service


def narrowed(rule, args):
    """(team id, group by team?, people or None) of a task-status request."""
    team_id = reads.parse_team(rule, args)
    return team_id, args.get("group") == "team", reads.people_of(rule, team_id)


def people_present(settings, people):
    """The employees the monitor lists, under the company's presence detail (people/detail.py)."""
    found = statistics.employees_shown(settings)
    return found if people is None else [p for p in found if p["id"] in people]


def task_status(task_board, rule, args, settings):
    """The body of GET /api/admin/task-status/ for the scope, a team, or grouped by team."""
    team_id, by_team, people = narrowed(rule, args)
    filters, group = board_query.parse(dict(args, group=None if by_team else args.get("group")))
    entries, cursor = task_board.select(filters)
    if people is not None:
        entries = [entry for entry in entries if entry.assignee in people]
    more = {"groups": board.groups(entries, group)} if group else {}
    if by_team:
        more = {"groups": team_groups(rule, entries)}
    return answers.answer(entries, cursor, people_present(settings, people), **more)


def team_groups(rule, entries):
    """Per-team counts of the selected tasks (a task counts in each team its assignee is in)."""
    found = []
    for team in team_service.teams(None if rule.everything else rule):
        ids = {m["user"]["id"] for m in team["members"] if m["role"] in PART_ROLES}
        counts = summary_of((e.status, e.overdue, e.at_risk, e.stale) for e in entries
                            if e.assignee in ids)
        found.append(dict({"id": team["id"], "name": team["name"]}, **counts))
    return found


def teams_json(rule):
    """The teams the monitor filters and groups by: [{id, name, people}] by name (a lead's or
    viewer's own teams; every team for admins)."""
    found = team_service.teams(None if rule.everything else rule)
    return orjson.dumps([{"id": team["id"], "name": team["name"],
                          "people": [m["user"]["id"] for m in team["members"]
                                     if m["role"] in PART_ROLES]} for team in found])


def snapshot(task_board, rule, settings):
    """The monitor page's first answer (cards, summary, people, cursor, teams) for a lead or
    viewer: their people's tasks only. Its ETag also names the people, so a team change that
    moves nothing on the board still reaches the page."""
    people = rule.people
    entries, cursor = task_board.select({})
    entries = [entry for entry in entries if entry.assignee in people]
    present, teams = orjson.dumps(people_present(settings, people)), teams_json(rule)
    tag = '"%s-%d-%d-%08x-%08x"' % (task_board.identity, task_board.version, cursor,
                                    zlib.crc32(present), zlib.crc32(teams))
    body = b"".join((b'{"tasks":[', b",".join(entry.card for entry in entries), b'],"summary":',
                     orjson.dumps(summary_of((e.status, e.overdue, e.at_risk, e.stale) for e in entries)),
                     b',"employees":', present, b',"cursor":%d' % cursor, b',"teams":', teams, b"}"))
    return tag, body


def changes(task_board, rule, ids, cursor, settings):
    """The monitor's catch-up to `cursor` (up to which the bus found `ids` named): the cards of
    those tasks as they are now, the ids of those no longer on the reader's board, and every
    person's presence; the cards' updates are read again as they are drawn."""
    people = None if rule.everything else rule.people
    entries, gone = task_board.present(ids, people)
    return b"".join((b'{"tasks":[', b",".join(entry.card for entry in entries), b'],"gone":',
                     orjson.dumps(gone), b',"employees":', orjson.dumps(people_present(settings, people)),
                     b',"cursor":%d}' % cursor))


def updates(task_board, rule, ids):
    """The last updates of the tasks `ids` the reader may see (others are left out, as missing
    ones are: services/monitor/answers.py updates)."""
    return answers.updates(task_board.recent_of(ids, None if rule.everything else rule.people))
