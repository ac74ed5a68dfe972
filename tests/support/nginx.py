"""Debian's nginx run from deploy/nginx/tracker.conf without root: a free port, and its pid, logs and
temporary files in a test folder."""
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from .server import IN_CI, ROOT, free_port

TEMPLATE = ROOT / "deploy" / "nginx" / "tracker.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def require_nginx():
    if not os.access(NGINX, os.X_OK):
        if IN_CI:
            pytest.fail("nginx is required under CI=true (.ci/run installs it)")
        pytest.skip("nginx not installed (apt-get install nginx)")


def render(listen, upstream_ports, server_name="localhost"):
    """The site file from the template, as docs/deploy.md tells an operator to fill it in."""
    servers = "\n".join("    server 127.0.0.1:%d max_fails=1 fail_timeout=10s;" % port
                        for port in upstream_ports)
    text = TEMPLATE.read_text()
    assert "@SERVERS@" in text and "@LISTEN@" in text and "@SERVER_NAME@" in text
    return (text.replace("    @SERVERS@", servers).replace("@LISTEN@", listen)
            .replace("@SERVER_NAME@", server_name))


def main_config(folder, site):
    """What /etc/nginx/nginx.conf gives the site on Debian, with every path in `folder`."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers keep access to the test folder
    return """%sworker_processes 1;
pid %s/nginx.pid;
error_log %s/error.log info;
events { worker_connections 1024; }
http {
    access_log %s/access.log;
    client_body_temp_path %s/client_body;
    proxy_temp_path %s/proxy;
    fastcgi_temp_path %s/fastcgi;
    uwsgi_temp_path %s/uwsgi;
    scgi_temp_path %s/scgi;
%s
}
""" % ((user,) + (folder,) * 8 + (site,))


class Nginx:
    """nginx in the foreground (`daemon off`), so the test owns and ends the process."""

    def __init__(self, folder, upstream_ports):
        self.folder = folder
        self.port = free_port()
        self.conf = folder / "nginx.conf"
        self.conf.write_text(main_config(folder, render("127.0.0.1:%d" % self.port, upstream_ports)))
        self.proc = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def command(self, *extra):
        return [NGINX, "-p", str(self.folder), "-e", str(self.folder / "error.log"),
                "-c", str(self.conf), *extra]

    def start(self, timeout=15):
        check = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(self.command("-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.error_log()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not start: %s" % self.error_log())

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish, then the master exits
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def error_log(self):
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def established(port):
    """TCP connections accepted on local `port` (from /proc/net/tcp): a request that reached it."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as rows:
            next(rows)
            for row in rows:
                fields = row.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    count += 1
    return count
