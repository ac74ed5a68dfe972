"""The OpenAPI paths of dependency links (openapi_paths.REGISTERED lists them)."""
from server.handlers.openapi.schemas import INT, TASK_ID, answer, body, errors, obj, op, ref

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
# A task outside a lead's or viewer's teams shows only its id and "a task outside your teams".
OUTSIDE = obj({"id": INT, "title": {"type": "string"}, "outside_scope": {"type": "boolean"}},
              ["id", "title", "outside_scope"])
TASKS = {"type": "array", "items": {"anyOf": [ref("Task"), OUTSIDE]}}

DEPENDENCY_PATHS = {
    "/api/admin/tasks/{task_id}/dependencies/": {
        "parameters": [TASK_ID],
        "get": op("The task's predecessors and successors (admin)",
                  dict({"200": answer("Neighbours", obj(
                      {"task_id": INT, "predecessors": TASKS, "successors": TASKS},
                      ["task_id", "predecessors", "successors"]))}, **errors(401, 403, 404)),
                  tag="admin"),
        "post": op("Make the task depend on another (finish-to-start); 409 dependency_cycle "
                   "carries the cycle, first id = last",
                   dict({"201": answer("Linked: the dependent task", ref("Task"))},
                        **errors(400, 401, 403, 404, 409, 413, 415)),
                   body(obj({"depends_on": ID}, ["depends_on"])), tag="admin")},
    "/api/admin/tasks/{task_id}/dependencies/{other_id}/": {
        "parameters": [TASK_ID, dict(TASK_ID, name="other_id")],
        "delete": op("Remove the link", dict({"204": answer("Unlinked")}, **errors(401, 403, 404)),
                     tag="admin")},
}
