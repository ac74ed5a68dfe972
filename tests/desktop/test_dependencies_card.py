"""The desktop card of a blocked task: it says what blocks it, and its Complete button is
refused with the reason before anyone presses it; the block lifts live when the predecessor ends."""
from support.desktop import WAIT, offline_window, task
from desktop_client.sync import LIVE
from desktop_client.views.main_window import MainWindow


def test_a_blocked_card_names_its_blockers_and_explains_complete(qtbot, app_dir):
    _manager, window = offline_window(qtbot, app_dir)
    window.set_filter("all")
    blocked = dict(task(1), blocked_by=[7, 9], depends_on=[7, 9], is_blocked=True)
    window.show_tasks([blocked, dict(task(2), blocked_by=[], depends_on=[3], is_blocked=False)])
    card, free = window.cards[1], window.cards[2]
    assert card.blocked.text() == "⛔ Blocked by #7, #9" and not card.blocked.isHidden()
    assert not card.complete_button.isEnabled()
    assert "Blocked by #7, #9" in card.complete_button.toolTip()
    assert "done or cancelled" in card.complete_button.accessibleDescription()
    card.choose(100)  # 100 % would be a completion: not offered either
    assert not card.update_button.isEnabled()
    card.choose(60)
    assert card.update_button.isEnabled()
    assert free.blocked.isHidden() and free.complete_button.isEnabled()


def test_the_block_lifts_live_when_the_predecessor_is_done(qtbot, company, make_manager):
    ann, bob = company.user(), company.user()
    first, second = company.task(ann), company.task(bob)
    linked = company.owner.post("/api/admin/tasks/%d/dependencies/" % second["id"],
                                {"depends_on": first["id"]})
    assert linked.status_code == 201
    manager = make_manager(bob)
    window = MainWindow(manager, bob.user)
    qtbot.addWidget(window)
    window.show()
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and second["id"] in window.cards, timeout=WAIT)
    card = window.cards[second["id"]]
    assert not card.complete_button.isEnabled() and not card.blocked.isHidden()
    assert ann.post("/api/task/%d/complete/" % first["id"]).status_code == 200
    qtbot.waitUntil(lambda: window.cards[second["id"]].complete_button.isEnabled(), timeout=WAIT)
    assert window.cards[second["id"]].blocked.isHidden()
