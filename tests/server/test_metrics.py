"""GET /metrics (server/metrics.py): the library's own parser reads it, its counters move when work
is done, labels name routes (never raw paths), and only metrics_allow addresses may read it."""
import http.client
import json

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from server import metrics as metrics_mod
from server.settings import DEFAULTS
from support.push import connect, long_poll, newest_id, progress, recv_until
from support.server import ServerProcess, server_env, start_server


def scrape(server):
    answer = requests.get(server.url + "/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_request_counts_and_latency_move_by_route_and_status(server, company):
    employee = company.user()
    task = company.task(employee)
    before = scrape(server)
    progress(employee, task, 30)
    assert employee.get("/api/task/%d/history/" % task["id"]).status_code == 200
    assert employee.get("/api/task/99999999/history/").status_code in (403, 404)
    assert employee.get("/api/no/such/123456").status_code == 404
    after = scrape(server)
    route = "/api/task/{id}/progress/"
    assert value(after, "tracker_http_requests_total", route=route, method="POST", status="200") \
        == value(before, "tracker_http_requests_total", route=route, method="POST", status="200") + 1
    count = "tracker_http_request_duration_seconds_count"
    assert value(after, count, route=route, status="200") == value(before, count, route=route,
                                                                   status="200") + 1
    assert value(after, "tracker_http_requests_total", route="unmatched", method="GET",
                 status="404") >= 1
    routes = {dict(labels).get("route") for (_name, labels) in after}
    assert "/api/task/{id}/history/" in routes
    assert not any(route and any(ch.isdigit() for ch in route) for route in routes), routes
    assert value(after, "tracker_writer_group_size_count") > value(before,
                                                                   "tracker_writer_group_size_count")
    assert value(after, "tracker_writer_commit_seconds_sum") > 0
    assert ("tracker_writer_queue_depth", ()) in after
    assert value(after, "process_resident_memory_bytes") > 0


def test_push_figures_move_when_events_are_delivered(server, company):
    admin, employee = company.user("ADMIN"), company.user()
    task = company.task(employee)
    cursor = newest_id(admin)
    socket = connect(server, admin, after=cursor)
    try:
        before = scrape(server)
        progress(employee, task, 40)
        events = recv_until(socket, newest_id(admin))
        polled = long_poll(admin, cursor)["events"]
        after = scrape(server)  # the socket has had its events: it is attached and live
    finally:
        socket.close()
    assert events and polled
    assert value(after, "tracker_push_subscribers", transport="websocket") >= 1
    for transport, got in (("websocket", events), ("longpoll", polled)):
        assert value(after, "tracker_push_events_delivered_total", transport=transport) >= \
            value(before, "tracker_push_events_delivered_total", transport=transport) + len(got)
    assert value(after, "tracker_push_last_event_id") >= events[-1]["id"]
    assert ("tracker_push_slow_consumers_cut_total", ()) in after


def get_from(server, source):
    """GET /metrics from the loopback address `source` (127.0.0.x) to the server on 127.0.0.1."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10,
                                      source_address=(source, 0))
    try:
        conn.request("GET", "/metrics")
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    """Listening on every address; metrics for 127.0.0.1 and the network 127.0.0.4/30 only."""
    srv = start_server(tmp_path_factory.mktemp("metrics"), TRACKER_ADDRESS="0.0.0.0",
                       TRACKER_METRICS_ALLOW="127.0.0.1, 127.0.0.4/30")
    yield srv
    srv.stop()


@pytest.mark.parametrize("source", ["127.0.0.2", "127.0.0.8"])
def test_a_foreign_address_gets_403(open_server, source):
    status, body = get_from(open_server, source)
    assert status == 403
    assert json.loads(body)["error"]["code"] == "forbidden"
    assert b"tracker_" not in body


@pytest.mark.parametrize("source", ["127.0.0.1", "127.0.0.5", "127.0.0.7"])
def test_an_allowed_address_or_network_reads_the_metrics(open_server, source):
    status, body = get_from(open_server, source)
    assert status == 200 and b"tracker_http_requests_total" in body


@pytest.mark.parametrize("bad", ["localhost", "127.0.0.1/33", "10.0.0.0/8;rm"])
def test_a_bad_metrics_allow_stops_the_start_with_a_clear_error(tmp_path, bad):
    srv = ServerProcess("sqlite:///%s" % (tmp_path / "t.db"), tmp_path / "server.log",
                        env=server_env(TRACKER_METRICS_ALLOW=bad))
    with pytest.raises(AssertionError, match="server exited"):
        srv.start()
    assert "metrics_allow (TRACKER_METRICS_ALLOW)" in srv.log() and repr(bad.strip()) in srv.log()


def test_each_app_has_its_own_registry():
    settings = dict(DEFAULTS)
    first, second = metrics_mod.Metrics(settings), metrics_mod.Metrics(settings)
    first.db_errors.labels("request").inc()
    assert first.registry is not second.registry
    assert b'tracker_database_errors_total{where="request"} 1.0' in first.exposition()
    assert b'where="request"' not in second.exposition()


@pytest.mark.parametrize("pattern, label", [
    (r"/api/task/([0-9]{1,12})/progress/", "/api/task/{id}/progress/"),
    (r"/api/admin/export/audit\.csv", "/api/admin/export/audit.csv"),
    (r"/dashboard/.*", "/dashboard/*"),
    (r"/static/(.*)", "/static/{id}"),
    (r"/api/x/(?P<name>[a-z]+)/", "/api/x/{name}/"),
])
def test_route_labels_name_the_pattern(pattern, label):
    assert metrics_mod.route_label(pattern) == label


def test_allow_list_matches_addresses_networks_and_mapped_ipv6():
    settings = dict(DEFAULTS, metrics_allow="127.0.0.1,10.1.0.0/16,::1")
    allowed = metrics_mod.Metrics(settings).allowed
    assert allowed("127.0.0.1") and allowed("10.1.200.3") and allowed("::1")
    assert allowed("::ffff:127.0.0.1")
    assert not allowed("10.2.0.1") and not allowed("127.0.0.2") and not allowed("not-an-ip")
    assert metrics_mod.parse_allow(" , ") == ()  # nobody: an empty list is a valid choice
