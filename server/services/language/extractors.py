"""Babel's extraction methods for this codebase (babel.cfg names them): Python without the
browser's `t`/`tn` (`t` is a common name there), and Tornado templates, whose {{ … }} and {% … %}
are read with Babel's own Python extractor at their line in the file."""
import io
import re

from babel.messages.extract import extract_python

CODE = re.compile(r"\{\{(?!!)(.*?)\}\}|\{%(?!!)(.*?)%\}", re.DOTALL)
BROWSER_ONLY = ("t", "tn")


def python(fileobj, keywords, comment_tags, options):
    """Babel's Python extractor with the Python keywords only."""
    keywords = {name for name in keywords if name not in BROWSER_ONLY}  # Babel passes the names
    return extract_python(fileobj, keywords, comment_tags, options)


def template(fileobj, keywords, comment_tags, options):
    """(lineno, funcname, message, comments) for each message in one template."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for found in CODE.finditer(source):
        code = found.group(1) if found.group(1) is not None else found.group(2)
        if "(" not in code:
            continue
        first_line = source.count("\n", 0, found.start())
        chunk = io.BytesIO(code.strip().encode("utf-8"))
        for lineno, funcname, message, comments in python(chunk, keywords, comment_tags, {}):
            yield first_line + lineno, funcname, message, comments
