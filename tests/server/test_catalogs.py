"""The catalogs stay complete (SPEC 11.4): every message in the code is in the committed template
(extraction runs here and compares), every shipped language translates every one of them, keeps
its placeholders (Babel's checkers, then %(name)s and {name} exactly) and has its plural forms."""
import collections
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from server.services.language import browser, catalogs, extraction

PYTHON_NAMES = re.compile(r"%\((\w+)\)")
BRACE_NAMES = re.compile(r"\{(\w+)\}")
SHIPPED = catalogs.shipped()


def key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


def entries(catalog):
    return {(key(m), m.context): m for m in catalog if m.id}


@pytest.fixture(scope="module")
def template():
    with open(catalogs.TEMPLATE, "rb") as source:
        return read_po(source)


def test_every_message_in_the_code_is_in_the_committed_template(template):
    found, committed = entries(extraction.extract()), entries(template)
    missing = sorted(str(k) for k in found.keys() - committed.keys())
    gone = sorted(str(k) for k in committed.keys() - found.keys())
    assert (missing, gone) == ([], []), "run `make catalogs`, then translate what it lists"
    moved = [k for k, m in found.items() if set(m.locations) != set(committed[k].locations)]
    assert moved == [], "messages used in other files now: run `make catalogs`"


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated(code, template):
    catalog = catalogs.catalog(code)
    assert entries(catalog).keys() == entries(template).keys(), "run `make catalogs`"
    untranslated = [str(k) for k, m in entries(catalog).items()
                    if m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []


@pytest.mark.parametrize("code", SHIPPED)
def test_babel_checkers_find_nothing(code):
    problems = [(str(key(m)), [str(e) for e in errors]) for m, errors in catalogs.catalog(code).check()]
    assert problems == []


def names(text, message):
    found = set()
    if "python-format" in message.flags:
        found |= set(PYTHON_NAMES.findall(text))
    if "python-brace-format" in message.flags or BRACE_NAMES.search(text):
        found |= set(BRACE_NAMES.findall(text))
    return found


@pytest.mark.parametrize("code", SHIPPED)
def test_placeholders_are_kept(code):
    """Each translation has the placeholders of its English; a plural form may leave out only
    the count where the language says the number in words (Arabic 'two minutes')."""
    wrong = []
    for message in catalogs.catalog(code):
        if not message.id:
            continue
        if isinstance(message.id, str):
            if names(message.string, message) != names(message.id, message):
                wrong.append((message.id, message.string))
            continue
        singular, plural = (names(text, message) for text in message.id)
        for form in message.string:
            if not names(form, message) <= singular | plural or not plural - {"num"} <= names(form, message):
                wrong.append((message.id[0], form))
        if names(message.string[-1], message) != plural:
            wrong.append((message.id[0], message.string[-1]))
    assert wrong == []


@pytest.mark.parametrize("code", SHIPPED)
def test_plural_forms_are_the_languages_own(code):
    catalog = catalogs.catalog(code)
    expected = Catalog(locale=catalogs.gettext_name(code))
    assert (catalog.num_plurals, catalog.plural_expr) == (expected.num_plurals, expected.plural_expr)
    for message in catalog:
        if message.id and not isinstance(message.id, str):
            assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("code", catalogs.LOCALES)
def test_the_browser_finds_each_plural_form_by_its_cldr_category(code):
    forms = browser.plural_map(code)  # raises where CLDR and gettext disagree
    assert sorted(set(forms.values())) == list(range(len(set(forms.values()))))


@pytest.mark.parametrize("english, translated", [
    ("Sign in with %(provider)s", "Anmelden"),  # Babel lets a named placeholder go: we do not
    ("Blocked by {ids}", "Blockiert durch {id}"),
])
def test_a_dropped_or_renamed_placeholder_is_caught(english, translated):
    message = Catalog(locale="de").add(english, translated)
    assert names(message.string, message) != names(message.id, message)


def test_every_call_in_the_scripts_is_one_babel_reads():
    """Babel's JavaScript reader skips a call inside a template literal (`${t("…")}`) or inside
    another call's arguments: such a message would never be translated. Every t/tn/N_ call with
    a literal (outside comments) is found by it."""
    calls = re.compile(r"(?<![\w.$])(?:t|tn|N_)\(\s*[\"']")
    read = collections.Counter(path for path, *_ in extract_from_dir(
        str(extraction.ROOT / "static"), [("js/**.js", "javascript")], keywords=extraction.KEYWORDS))
    written = collections.Counter()
    for path in (extraction.ROOT / "static" / "js").rglob("*.js"):
        code = [line for line in path.read_text(encoding="utf-8").splitlines()
                if not line.lstrip().startswith(("//", "/*", "*"))]
        written[str(path.relative_to(extraction.ROOT / "static"))] += len(calls.findall("\n".join(code)))
    assert {path: n for path, n in written.items() if n != read[path]} == {}
