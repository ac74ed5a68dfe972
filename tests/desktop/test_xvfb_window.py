"""The real window on a real X server (Xvfb, Qt's xcb platform), grabbed from the X screen: what a
person on Linux sees. Saves artifacts/desktop-xvfb.png (docs/screenshots/desktop.png comes from it)
and desktop-xvfb-history.png: the history opens beside the list, not over it."""
import json
import os
import subprocess
import sys
from pathlib import Path

from PyQt5.QtGui import QImage

from support.desktop import demo_employee, xvfb
from support.server import ROOT

SCRIPT = Path(__file__).with_name("xvfb_window.py")


def test_the_window_on_xvfb_is_drawn_live_with_its_cards(company, app_dir):
    employee = demo_employee(company)
    out = ROOT / "artifacts" / "desktop-xvfb.png"
    out.parent.mkdir(exist_ok=True)
    with xvfb() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb",
                   PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, str(SCRIPT), employee.base_url, employee.token,
                               json.dumps(employee.user), str(app_dir), str(out)],
                              capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0 and proc.stdout.split() == ["saved", "apart"], (
        proc.stdout, proc.stderr[-2000:])  # the history stands beside the list, not over it
    image = QImage(str(out))
    assert image.width() >= 780 and image.height() >= 880
    header = image.pixelColor(5, 5).name()
    assert header == "#1e2a3a", header  # the header's colour, drawn by the X server
