"""The server starts, answers health and refuses unauthenticated calls."""


def test_healthz_answers_ok(server):
    import requests
    answer = requests.get(server.url + "/healthz", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_owner_creates_an_employee_who_logs_in(company):
    employee = company.user()
    assert employee.user["role"] == "EMPLOYEE"
    assert employee.get("/api/employee-tasks/").json()["tasks"] == []
