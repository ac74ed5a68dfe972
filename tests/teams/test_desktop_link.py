"""Desktop: a team's lead (or viewer) sees "Open dashboard" in the header, an employee does not;
the address comes from GET /api/me/ through the app's own client."""
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
qt = pytest.importorskip("PyQt5.QtWidgets")

from desktop_client.api import Client  # noqa: E402
from desktop_client.views.header import Header  # noqa: E402

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def qapp():
    return qt.QApplication.instance() or qt.QApplication([])


def test_only_a_lead_or_viewer_gets_the_dashboard_link(server, teams, qapp):
    alpha, _bravo = teams
    for who, shown in (("lead", True), ("viewer", True), ("member1", False)):
        person = alpha.people[who]
        url = Client(server.url, person.token).dashboard_url()
        assert (url == server.url + "/dashboard/tasks/monitor/") is shown, who
        header = Header(dict(person.user, dashboard_url=url))
        assert (header.dashboard is not None) is shown
        if shown:
            assert header.dashboard.openExternalLinks()
            assert 'href="%s"' % url in header.dashboard.text()
    assert Client("http://127.0.0.1:9", "x").dashboard_url() is None  # no server: no link
