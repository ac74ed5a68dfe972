"""Lighthouse 12 (accessibility, best practices) with Debian's Chromium on every page; prints scores.

Run: .venv/bin/python tests/bench/lighthouse.py [PATH ...]   (installs lighthouse@12.2.3 into
tests/node/lighthouse/); with paths, only those pages. Each line names the audits that cost points.

Each person's pages are measured in a Chromium of their own that signed in through the /login form
first (Playwright over the DevTools port), so the pages run with the cookies a browser really has.
Lighthouse's `--extra-headers` Cookie would replace them on every request: the page's own `_xsrf`
cookie never reaches `document.cookie`, and a pagehide keepalive request goes without the header.
"""
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.browser import CHROMIUM, DEMO_ADMIN, sign_in, start_demo_server  # noqa: E402
from support.server import ROOT  # noqa: E402

VERSION = "12.2.3"  # Lighthouse 13 wants Node 22; the machine has Node 20
NODE = ROOT / "tests" / "node" / "lighthouse"  # its own folder: it pins an older axe-core
CLI = NODE / "node_modules" / "lighthouse" / "cli" / "index.js"
ADMIN_PAGES = ["/dashboard/tasks/monitor/", "/dashboard/tasks/monitor/?view=table",
               "/dashboard/tasks/assign/", "/dashboard/tasks/statistics/", "/dashboard/tasks/1/",
               "/dashboard/webhooks/"]
EMPLOYEE = ("emma", "employee-demo-pass")


def install():
    if not CLI.exists():
        subprocess.run(["npm", "i", "-E", "--prefix", str(NODE), "--no-audit", "--no-fund",
                        "lighthouse@" + VERSION], check=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_devtools(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("Chromium exited with %s" % process.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)  # a bench script, not a test: polling the port until it answers
    raise RuntimeError("Chromium's DevTools port %d never answered" % port)


@contextmanager
def chromium(base_url, credentials):
    """A headless Chromium with its own profile, signed in as `credentials` (or not at all);
    yields its DevTools port for Lighthouse's --port."""
    profile, port = tempfile.mkdtemp(prefix="lh-profile-"), free_port()
    process = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                                "--remote-debugging-port=%d" % port, "--user-data-dir=" + profile,
                                "--no-first-run", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_devtools(port, process)
        if credentials:
            from playwright.sync_api import sync_playwright
            with sync_playwright() as playwright:
                browser = playwright.chromium.connect_over_cdp("http://127.0.0.1:%d" % port)
                page = browser.contexts[0].new_page()
                sign_in(page, base_url, *credentials, next_path="/app/"
                        if credentials == EMPLOYEE else None)
                page.close()
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)


def scores(url, port):
    """{category: score 0-100} for one page, on a desktop-sized screen, and the failing audits."""
    command = ["node", str(CLI), url, "--port=%d" % port, "--quiet", "--output=json",
               "--output-path=stdout", "--preset=desktop", "--disable-storage-reset",
               "--only-categories=accessibility,best-practices"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    report = json.loads(done.stdout)
    if report["finalDisplayedUrl"] != url:
        raise RuntimeError("%s ended on %s: not signed in?" % (url, report["finalDisplayedUrl"]))
    # Every audit that costs points, whatever its kind (binary or numeric), with its details.
    counted = {ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"]
               if ref.get("weight")}
    failing = [key for key in sorted(counted) if report["audits"][key].get("score") not in (None, 1)]
    for key in failing:
        items = (report["audits"][key].get("details") or {}).get("items") or []
        print("    %s: %s" % (key, json.dumps(items)[:600]), file=sys.stderr)
    result = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    return result, failing


def main():
    install()
    server = start_demo_server(Path(tempfile.mkdtemp()))
    try:
        groups = [(None, ["/login"]), (DEMO_ADMIN, ADMIN_PAGES), (EMPLOYEE, ["/app/"])]
        wanted = sys.argv[1:]
        print("%-40s %14s %15s  failing audits" % ("page", "accessibility", "best-practices"))
        for credentials, paths in groups:
            paths = [path for path in paths if not wanted or path in wanted]
            if not paths:
                continue
            with chromium(server.url, credentials) as port:
                for path in paths:
                    result, failing = scores(server.url + path, port)
                    print("%-40s %14s %15s  %s" % (path, result["accessibility"],
                                                   result["best-practices"], ", ".join(failing)),
                          flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
