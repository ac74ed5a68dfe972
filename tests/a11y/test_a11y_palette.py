"""One palette: the CSS custom properties of palette.css and the desktop's PALETTE agree,
and every text colour in it meets WCAG AA contrast on the backgrounds it is drawn on."""
import re

import pytest

from desktop_client.views.style import PALETTE, PRIORITY_COLORS, STATUS_COLORS
from support.server import ROOT

SHEETS = ["static/css/palette.css"]  # linked by the admin pages and the web app alike
TEXT_ON = {  # text colour -> the backgrounds the pages draw it on
    "ink": ["bg", "surface", "line"], "ink-2": ["bg", "surface", "line"],
    "muted": ["bg", "surface", "cancelled-bg"], "brand": ["bg", "surface"],
    "pending": ["pending-bg", "surface"], "progress": ["progress-bg", "surface"],
    "done": ["done-bg", "surface"], "cancelled": ["cancelled-bg", "surface"],
    "danger": ["danger-bg", "surface", "bg"], "warn": ["warn-bg", "surface"],
    "prio-low": ["cancelled-bg"], "prio-medium": ["prio-medium-bg"], "stale": ["stale-bg"],
    "brand-ink": ["brand", "danger"],
}


def custom_properties(path):
    """The `--name: #rrggbb;` declarations of a stylesheet, as {name: value}."""
    text = (ROOT / path).read_text()
    return {name: value.lower() for name, value in
            re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", text)}


def luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, two):
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("sheet", SHEETS)
def test_each_stylesheet_declares_the_desktop_palette(sheet):
    assert custom_properties(sheet) == PALETTE


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey


@pytest.mark.parametrize("text", sorted(TEXT_ON))
def test_every_text_colour_meets_aa_on_its_backgrounds(text):
    for background in TEXT_ON[text]:
        ratio = contrast(PALETTE[text], PALETTE[background])
        assert ratio >= 4.5, "%s on %s: %.2f:1" % (text, background, ratio)


@pytest.mark.parametrize("colour", sorted(set(PRIORITY_COLORS.values()) | set(STATUS_COLORS.values())))
def test_white_badge_text_on_the_desktop_badges_meets_aa(colour):
    assert contrast("#ffffff", colour) >= 4.5
