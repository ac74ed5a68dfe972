"""axe-core in the browser: find the npm copy, inject it into a page, report the violations."""
import json

import pytest

from support.server import IN_CI, ROOT

AXE_VERSION = "4.14.1"
NODE = ROOT / "tests" / "node"
AXE = NODE / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = "npm i -E --prefix tests/node axe-core@%s" % AXE_VERSION
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source():
    """The axe-core script; skips the test outside CI when it is not installed, fails under CI."""
    if not AXE.exists():
        if IN_CI:
            pytest.fail("axe-core is required under CI=true: %s" % INSTALL)
        pytest.skip("the accessibility tests need axe-core: %s" % INSTALL)
    return AXE.read_text()


def audit_context(browser, **options):
    """A context that may inject axe-core: bypass_csp lets the page run a script it did not load.
    Only these audits use it; every other browser test keeps the page's own CSP."""
    ctx = browser.new_context(bypass_csp=True, **{"viewport": {"width": 1280, "height": 900},
                                                  **options})
    ctx.set_default_timeout(15000)
    return ctx


def violations(page, source):
    """axe-core's violations of WCAG 2.0/2.1/2.2 A and AA on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return result["violations"]


def describe(found):
    """The violations, one line per rule and node, for an assertion message."""
    lines = []
    for rule in found:
        for node in rule["nodes"][:8]:
            lines.append("%s (%s): %s %s" % (rule["id"], rule["impact"], json.dumps(node["target"]),
                                             node.get("failureSummary", "").replace("\n", " ")))
    return "\n".join(lines)


def assert_clean(page, source):
    found = violations(page, source)
    assert found == [], "%s: %d axe violations\n%s" % (page.url, len(found), describe(found))
