"""What erasure rewrites in other people's text: whole names only, any case, and in event JSON
the erased person's own texts as well."""
import json

from server.services.privacy.scrub import Scrubber


def test_names_are_replaced_where_they_stand_alone():
    scrub = Scrubber(7, ("ann", "Ömer Çelik", "ann@example.com", None, ""))
    assert scrub.text("Assigned to ann; ask @Ann, or ANN.") == (
        "Assigned to erased-7; ask @erased-7, or erased-7.")
    assert scrub.text("anna and joanne and ann_b stay") == "anna and joanne and ann_b stay"
    assert scrub.text("mail ann@example.com or ömer çelik") == "mail erased-7 or erased-7"
    assert "%ömer çelik%" in scrub.likes() and "%Ömer Çelik%" in scrub.likes()
    assert "%ann@example.com%" in scrub.likes()


def test_event_payloads_lose_their_texts_and_names():
    scrub = Scrubber(7, ("ann", "Ann Smith"))
    event = {"type": "task.updated", "task": {"title": "Help Ann Smith", "assignee": {
        "id": 7, "username": "ann", "full_name": "Ann Smith"}},
        "update": {"user": {"id": 7, "username": "ann"}, "notes": "my secret"},
        "comment": {"author": {"id": 8, "username": "bob"}, "body": "thanks @ann"}}
    after = json.loads(scrub.payload(json.dumps(event)))
    assert after["task"]["title"] == "Help erased-7"
    assert after["task"]["assignee"] == {"id": 7, "username": "erased-7", "full_name": "erased-7"}
    assert after["update"]["notes"] == ""
    assert after["comment"]["body"] == "thanks @erased-7"
