"""Handlers in-process (pytest-tornado): the app from make_app on a temporary SQLite file, served on
the test's own event loop; no child process, so each test takes milliseconds."""
import json

import pytest

from server import app as server_app
from server.handlers.openapi import document as openapi
from server.services.people import auth
from server.settings import from_env
from server.store import database
from support.server import FAST_KDF

PASSWORD = "in-process-password"


@pytest.fixture
def app(io_loop, tmp_path):
    """make_app(settings), the one way the server is built, bound to a fresh migrated database."""
    url = "sqlite:///%s" % (tmp_path / "handlers.db")
    server_app.open_db(url)
    application = server_app.make_app(from_env(environ=FAST_KDF, db=url))
    auth.create_user("ann", "Ann Example", "EMPLOYEE", application.svc.hasher.hash(PASSWORD))
    yield application
    application.svc.close()
    database.db.close()


def post_json(http_client, url, data, **headers):
    return http_client.fetch(url, method="POST", body=json.dumps(data), raise_error=False,
                             headers=dict({"Content-Type": "application/json"}, **headers))


@pytest.mark.gen_test
def test_a_login_answers_a_token_that_opens_the_task_list(http_client, base_url):
    login = yield post_json(http_client, base_url + "/api/auth/token/",
                            {"username": "ann", "password": PASSWORD})
    assert login.code == 200
    answer = json.loads(login.body)
    assert answer["user"]["username"] == "ann" and answer["user"]["role"] == "EMPLOYEE"
    listing = yield http_client.fetch(base_url + "/api/employee-tasks/",
                                      headers={"Authorization": "Bearer " + answer["token"]})
    assert json.loads(listing.body)["tasks"] == [] and listing.headers["ETag"]


@pytest.mark.gen_test
def test_a_wrong_password_is_a_401_with_the_one_error_body(http_client, base_url):
    refused = yield post_json(http_client, base_url + "/api/auth/token/",
                              {"username": "ann", "password": "not-" + PASSWORD})
    assert refused.code == 401
    assert json.loads(refused.body) == {"error": {"code": "unauthorized", "field": None,
                                                  "message": "wrong username or password"}}


@pytest.mark.gen_test
def test_the_served_document_is_the_one_assembled_from_the_tables(http_client, base_url):
    served = yield http_client.fetch(base_url + "/api/openapi.json")
    assert json.loads(served.body) == json.loads(json.dumps(openapi.document()))
