"""The OpenAPI paths of comments (openapi_paths.REGISTERED lists them)."""
from server.handlers.openapi.schemas import (BRIEF, IDEMPOTENCY, INT, REPLAYED, STR, TASK_ID, TIME, answer,
                                             body, errors, nullable, obj, op)

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
COMMENT_ID = {"name": "comment_id", "in": "path", "required": True, "schema": ID}
# 1 to 10,000 characters once trimmed: the trimmed length is not something a schema can say.
TEXT = {"type": "string", "minLength": 1, "description": "1 to 10,000 characters after trimming"}
MENTION = obj({"id": INT, "username": STR}, ["id", "username"])
COMMENT = obj({
    "id": INT, "task_id": INT, "author": BRIEF, "body": nullable(STR),
    "mentions": {"type": "array", "items": MENTION}, "created_at": TIME,
    "edited_at": nullable(TIME), "deleted": {"type": "boolean"}, "revision": INT,
}, ["id", "task_id", "author", "body", "mentions", "created_at", "edited_at", "deleted",
    "revision"], extra=True)
THREAD = obj({"task_id": INT, "comments": {"type": "array", "items": COMMENT}},
             ["task_id", "comments"])
REVISION = obj({"revision": INT, "body": STR, "editor": BRIEF, "created_at": TIME, "audit_id": INT},
               ["revision", "body", "editor", "created_at", "audit_id"])
REVISIONS = obj({"comment_id": INT, "deleted": {"type": "boolean"},
                 "revisions": {"type": "array", "items": REVISION}},
                ["comment_id", "deleted", "revisions"])

COMMENT_PATHS = {
    "/api/task/{task_id}/comments/": {
        "parameters": [TASK_ID],
        "get": op("A task's comments, oldest first (assignee, admin)", dict(
            {"200": answer("Thread", THREAD)}, **errors(401, 403, 404)), tag="comments"),
        "post": dict(op("Comment on a task; client_comment_id or Idempotency-Key make it "
                        "idempotent", dict({"201": answer("Created (or replayed)", COMMENT, REPLAYED)},
                                           **errors(400, 401, 403, 404, 413, 415, 422)),
                        body(obj({"body": TEXT, "client_comment_id": nullable(
                            {"type": "string", "minLength": 1, "maxLength": 64})}, ["body"])),
                        tag="comments"), parameters=[IDEMPOTENCY])},
    "/api/comments/{comment_id}/": {
        "parameters": [COMMENT_ID],
        "patch": op("Edit your comment: revision + 1, edited_at set, the old text kept", dict(
            {"200": answer("Edited", COMMENT)}, **errors(400, 401, 403, 404, 409, 413, 415)),
            body(obj({"body": TEXT}, ["body"])), tag="comments"),
        "delete": op("Delete a comment (its author or an admin): a tombstone stays", dict(
            {"200": answer("Deleted", COMMENT)}, **errors(401, 403, 404)), tag="comments")},
    "/api/comments/{comment_id}/revisions/": {
        "parameters": [COMMENT_ID],
        "get": op("Every text a comment has had (admins)", dict(
            {"200": answer("Revisions", REVISIONS)}, **errors(401, 403, 404)), tag="comments")},
}
