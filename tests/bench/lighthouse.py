"""Lighthouse 12 (accessibility, best practices) with Debian's Chromium on every page; prints scores.

Run: .venv/bin/python tests/bench/lighthouse.py   (installs lighthouse@12.2.3 into tests/node/lighthouse/)
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.browser import CHROMIUM, DEMO_ADMIN, form_session, start_demo_server  # noqa: E402
from support.server import ROOT  # noqa: E402

VERSION = "12.2.3"  # Lighthouse 13 wants Node 22; the machine has Node 20
NODE = ROOT / "tests" / "node" / "lighthouse"  # its own folder: it pins an older axe-core
CLI = NODE / "node_modules" / "lighthouse" / "cli" / "index.js"
ADMIN_PAGES = ["/dashboard/tasks/monitor/", "/dashboard/tasks/monitor/?view=table",
               "/dashboard/tasks/assign/", "/dashboard/tasks/statistics/", "/dashboard/tasks/1/",
               "/dashboard/webhooks/"]


def install():
    if not CLI.exists():
        subprocess.run(["npm", "i", "-E", "--prefix", str(NODE), "--no-audit", "--no-fund",
                        "lighthouse@" + VERSION], check=True)


def cookie_header(base_url, username, password):
    """The session cookie of a form sign-in, as a Cookie header Lighthouse sends on every request."""
    http = form_session(base_url, username, password)
    return "; ".join("%s=%s" % (c.name, c.value) for c in http.cookies)


def scores(url, cookie=None):
    """{category: score 0-100} for one page, on a desktop-sized screen."""
    command = ["node", str(CLI), url, "--chrome-path=" + CHROMIUM, "--quiet", "--output=json",
               "--output-path=stdout", "--preset=desktop",
               "--only-categories=accessibility,best-practices",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    report = json.loads(done.stdout)
    failing = [key for key, audit in report["audits"].items()
               if audit.get("score") == 0 and audit.get("scoreDisplayMode") == "binary"]
    result = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    return result, failing


def main():
    install()
    server = start_demo_server(Path(tempfile.mkdtemp()))
    try:
        admin = cookie_header(server.url, *DEMO_ADMIN)
        employee = cookie_header(server.url, "emma", "employee-demo-pass")
        pages = [("/login", None)] + [(path, admin) for path in ADMIN_PAGES] + [("/app/", employee)]
        print("%-40s %14s %15s  failing audits" % ("page", "accessibility", "best-practices"))
        for path, cookie in pages:
            result, failing = scores(server.url + path, cookie)
            print("%-40s %14s %15s  %s" % (path, result["accessibility"], result["best-practices"],
                                           ", ".join(failing)))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
