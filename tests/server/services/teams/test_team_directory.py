"""services/teams/directory.py, what a directory sign-in calls: teams created as needed, the
source's memberships made exactly the list given, hand-made ones left alone (SQLite, PostgreSQL)."""
from server.services.people import scope
from server.services.teams import directory, service
from server.store.database import db
from server.store.models import Team, TeamLog, TeamMember, User


def memberships(user):
    return sorted((m["name"], m["role"]) for m in service.memberships(user.id))


def test_directory_memberships_follow_the_groups(database):
    with db.atomic():
        ann = User.create(username="ann", full_name="Ann", password_hash="x")
        hand = service.create_team(None, {"name": "Hand made"})
        service.set_membership(None, hand["id"], ann.id, "viewer")
    with db.atomic():
        changes = directory.set_memberships_from_directory(
            ann, [("Sales", "member"), ("sales", "lead"), ("Support", "viewer")], "oidc")
    assert changes == 2
    assert memberships(ann) == [("Hand made", "viewer"), ("Sales", "lead"), ("Support", "viewer")]
    assert Team.select().count() == 3  # "sales" is the team "Sales", whatever its case
    with db.atomic():
        assert directory.set_memberships_from_directory(ann, [("Sales", "lead")], "oidc") == 1
        assert directory.set_memberships_from_directory(ann, [("Sales", "lead")], "oidc") == 0
    assert memberships(ann) == [("Hand made", "viewer"), ("Sales", "lead")]
    with db.atomic():  # the directory names the hand-made team: its role wins, the source moves
        directory.set_memberships_from_directory(ann, [("Sales", "lead"), ("Hand made", "member")], "oidc")
        directory.set_memberships_from_directory(ann, [], "oidc")
    assert memberships(ann) == []
    assert TeamLog.select().where(TeamLog.user_id == ann.id).count() == 7
    assert TeamMember.select().count() == 0


def test_the_scope_of_a_lead_and_of_a_viewer(database):
    with db.atomic():
        lead, viewer, member, other = (User.create(username=n, password_hash="x")
                                       for n in ("lead", "viewer", "member", "other"))
        team = service.create_team(None, {"name": "A"})["id"]
        for user, role in ((lead, "lead"), (viewer, "viewer"), (member, "member")):
            service.set_membership(None, team, user.id, role)
    rule = scope.of(lead)
    assert rule.people == {lead.id, member.id} and rule.managed == {lead.id, member.id}
    assert rule.staff and rule.writes and rule.teams == {team}
    seen = scope.of(viewer)
    assert seen.people == {viewer.id, lead.id, member.id} and seen.managed == frozenset()
    assert seen.staff and not seen.writes
    plain = scope.of(member)
    assert plain.people == {member.id} and not plain.staff
    assert not rule.sees_user(other.id) and not rule.sees_event(other.id, None)
    assert rule.sees_event(member.id) and rule.sees_event(None, team)
    everyone = scope.of_everyone()
    assert set(everyone) == {lead.id, viewer.id} and everyone[lead.id].people == rule.people
