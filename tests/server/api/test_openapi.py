"""The OpenAPI document describes every endpoint, and schemathesis finds no contract breach in it."""
import os
import re
import subprocess
import sys

from server.handlers.api import admin, auth, comments, export, integrations, meta, events as push, tasks
from server.handlers.openapi import document as openapi
from server.handlers.api import dependencies, time as timeentries
from server.handlers.api import privacy
from server.handlers.teams import admin_api as team_admin_api, api as team_api
from server.handlers.api.timesheets import absences, reports as timereports, sheets as timesheets
from server.handlers.identity import api as identity_api
from support.server import ROOT

SPEC_ENDPOINTS = [
    ("post", "/api/auth/token/"), ("post", "/api/auth/logout/"), ("get", "/api/employee-tasks/"),
    ("post", "/api/task/{task_id}/progress/"), ("post", "/api/task/{task_id}/complete/"),
    ("get", "/api/task/{task_id}/history/"), ("post", "/api/heartbeat/"),
    ("get", "/api/admin/task-status/"), ("post", "/api/admin/tasks/"),
    ("patch", "/api/admin/tasks/{task_id}/"), ("get", "/api/admin/users/"), ("post", "/api/admin/users/"),
    ("get", "/api/admin/projects/"), ("post", "/api/admin/projects/"), ("get", "/api/admin/statistics/"),
    ("get", "/api/openapi.json"), ("get", "/healthz"),
]
CHECKS = ",".join(["not_a_server_error", "status_code_conformance", "content_type_conformance",
                   "response_schema_conformance", "negative_data_rejection", "missing_required_header",
                   "unsupported_method", "allow_header_conformance", "ignored_auth"])


def test_document_lists_every_endpoint_of_the_spec(company):
    doc = company.owner.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for method, path in SPEC_ENDPOINTS:
        assert method in doc["paths"].get(path, {}), "%s %s is not described" % (method.upper(), path)
        operation = doc["paths"][path][method]
        assert operation["summary"] and operation["responses"]


def routed_paths():
    """The app's API paths in the document's spelling: an id group is `{}`, dots unescaped."""
    paths = set()
    for module in (admin, auth, comments, export, integrations, meta, push, tasks, dependencies,
                   timeentries, privacy, team_api, team_admin_api, timesheets, absences, timereports,
                   identity_api):
        for pattern, _handler in module.routes:
            pattern = pattern.replace("([0-9]{4}-W[0-9]{2})", "{}")  # an ISO week
            pattern = pattern.replace("([0-9]{4}-[0-9]{2}-[0-9]{2})", "{}")  # a date
            if pattern.endswith(r"time\.(pdf|xlsx)"):  # one handler, two documents
                paths.update({"/api/reports/time.pdf", "/api/reports/time.xlsx"})
                continue
            paths.add(re.sub(r"\(\[0-9\]\{1,\d+\}\)", "{}", pattern).replace("\\.", "."))
    # The WebSocket twin is described in /api/events/; a calendar feed is text/calendar, not the API.
    return {p for p in paths if not p.startswith("/calendar/")} - {"/api/events/ws"}


def test_every_routed_api_path_is_described_and_nothing_else():
    described = {re.sub(r"\{\w+\}", "{}", path) for path in openapi.document()["paths"]}
    assert described == routed_paths()


def test_the_document_is_built_afresh_and_the_same_each_time():
    first = openapi.document()
    first["paths"].clear()  # a caller changing its copy changes nothing served later
    assert openapi.document()["paths"] and openapi.document() == openapi.document()


def test_schemathesis_finds_no_failure(server, company, tmp_path):
    employee = company.user()
    for _ in range(3):
        company.task(employee)
    env = dict(os.environ, SCHEMATHESIS_HOOKS="", PYTHONWARNINGS="ignore")
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(ROOT / "tests" / "schemathesis.toml"),
         "run", server.url + "/api/openapi.json",
         "-H", "Authorization: Bearer %s" % company.owner.token, "--checks", CHECKS,
         "--max-examples", "8", "--seed", "1", "--phases", "examples,coverage,fuzzing",
         "--exclude-path", "/api/auth/logout/", "--exclude-path", "/api/auth/token/",
         "--no-color", "--report-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Server error" not in run.stdout
