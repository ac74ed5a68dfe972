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


def focused(page, selector):
    """Whether the element with keyboard focus matches `selector`."""
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector)


def tab_to(page, selector, limit=120, key="Tab"):
    """Press Tab (or `key`) until the focus is on `selector`, as a keyboard user would."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError("%s never took the focus in %d presses of %s" % (selector, limit, key))


def focus_ring(page):
    """The focused element's outline, as drawn: (style, width in px)."""
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")


SMALL_TEXT = """() => {
  const small = [];
  for (const el of document.body.querySelectorAll("*")) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join("").trim();
    if (!text || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("[aria-hidden=true], .sr-only, .visually-hidden")) continue;
    const scale = el instanceof SVGElement && el.getScreenCTM() ? el.getScreenCTM().a : 1;
    const px = parseFloat(style.fontSize) * scale;
    if (px < 11.95) small.push(`${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className} ${px.toFixed(1)}px: ${text.slice(0, 30)}`);
  }
  return small;
}"""


def small_text(page):
    """Visible text drawn below 12 px (SVG text at its drawn scale), one line per element."""
    return page.evaluate(SMALL_TEXT)


def overflow(page):
    """How far the page is wider than its window: content lost sideways at this width."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
