"""timesheet.changed and absence.changed reach webhooks: by name or with "*", and Slack endpoints
get a sentence for each."""
from server.services.outbound.webhook_outbox import slack_text


def test_an_endpoint_subscribes_to_the_timesheet_events_by_name(company):
    made = company.owner.post("/api/admin/webhooks/", {
        "url": "https://1.1.1.1/payroll", "events": ["timesheet.changed", "absence.changed"]})
    assert made.status_code == 201, made.text
    assert sorted(made.json()["events"]) == ["absence.changed", "timesheet.changed"]


def test_slack_says_whose_sheet_and_absence_and_their_state():
    ann = {"id": 2, "username": "ann", "full_name": "Ann Lee"}
    sheet = {"type": "timesheet.changed", "timesheet": {"user": ann, "week": "2026-W49", "state": "approved"}}
    assert slack_text(sheet) == "Ann Lee's timesheet for 2026-W49: approved"
    absence = {"type": "absence.changed", "absence": {"user": ann, "kind": "vacation", "state": "requested",
                                                      "starts_on": "2026-12-21", "ends_on": "2026-12-24"}}
    assert slack_text(absence) == "Ann Lee's vacation from 2026-12-21 to 2026-12-24: requested"
