"""The OpenAPI 3.0 document of the REST API, assembled from the registered path tables."""
from server.handlers.openapi.paths import REGISTERED
from server.handlers.openapi.schemas import SCHEMAS

INFO = {"title": "Employee Progress Tracker API", "version": "1.0.0",
        "description": "Tasks, progress, presence and an append-only audit trail."}


def all_paths(tables=REGISTERED):
    """One {path: path item} from the tables; a path in two tables is a mistake, not an override."""
    paths = {}
    for table in tables:
        twice = paths.keys() & table.keys()
        assert not twice, "paths described twice: %s" % sorted(twice)
        paths.update(table)
    return paths


def document():
    """The document as served at /api/openapi.json (a new dict per call)."""
    return {
        "openapi": "3.0.3",
        "info": INFO,
        "paths": all_paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
