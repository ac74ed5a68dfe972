"""The floor plan holds: imports run handlers -> push -> services -> store (web, settings and metrics
below them all), the service packages in their order, and no package imports one that imports it."""
import ast

from support.server import ROOT

# Top to bottom; a module may import its own layer and those below. app, __main__ and demo build
# the whole; web, settings and metrics are the plumbing under every layer.
LAYERS = [("app", "__main__", "demo", "commands"), ("handlers",), ("push",), ("services",), ("store",),
          ("web", "settings", "metrics")]
# Lower packages first; a package newer than this list is held only to "no loop".
SERVICES = ["language", "core", "sentences", "record", "people", "periods", "absences", "tasks", "time", "teams", "comments",
            "outbound", "identity", "timesheets", "reports",
            "monitor", "privacy", "onboarding"]
PARENTS = ("server", "server.services", "server.handlers")


def unit(module):
    """The package an import is judged by: server.services.tasks, server.handlers.api, server.push."""
    parts = module.split(".")
    return ".".join(parts[:3] if parts[1] in ("services", "handlers") and len(parts) > 2 else parts[:2])


def imports():
    """{(importing unit, imported unit): 'a.py imports b'} over server/ (absolute imports only)."""
    found = {}
    for path in (ROOT / "server").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assert not (isinstance(node, ast.ImportFrom) and node.level), "relative import in %s" % path
            names = [node.module] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if isinstance(node, ast.ImportFrom) and node.module in PARENTS:  # names are modules
                names = ["%s.%s.x" % (node.module, a.name) for a in node.names]
            for name in names:
                if name and name.startswith("server.") and unit(name) != unit(module):
                    found[(unit(module), unit(name))] = "%s imports %s" % (module, name)
    return found


def rank(name):
    """(layer, place among the service packages, -1 where none) of a unit."""
    parts = name.split(".")
    layer = next((i for i, group in enumerate(LAYERS) if parts[1] in group), None)
    assert layer is not None, "%s is in no layer: place it in LAYERS" % name
    inner = parts[2] if parts[1] == "services" and len(parts) > 2 else None
    return layer, SERVICES.index(inner) if inner in SERVICES else -1


def test_imports_run_down_the_layers_and_the_service_packages_in_their_order():
    upward = [why for (a, b), why in imports().items() if rank(b)[0] < rank(a)[0]
              or rank(b)[0] == rank(a)[0] and -1 < rank(a)[1] < rank(b)[1]]
    assert upward == []


def test_no_package_imports_one_that_imports_it_back():
    edges = imports()
    reach = {a: {b for (x, b) in edges if x == a} for (a, _) in edges}
    for _ in range(len(reach)):  # transitive closure: small graph, a few passes
        for a in reach:
            reach[a] |= set().union(*(reach.get(b, set()) for b in reach[a]))
    assert sorted(a for a in reach if a in reach[a]) == []
