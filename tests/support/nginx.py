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


def main_config(folder, site, worker_processes=1, worker_connections=1024, rlimit_nofile=None):
    """What /etc/nginx/nginx.conf gives the site on Debian, with every path in `folder`.
    A proxied WebSocket holds two of a worker's connections (client and upstream), and each is an
    open file: a benchmark with thousands of sockets raises these limits."""
    head = "user root;\n" if os.geteuid() == 0 else ""  # workers keep access to the test folder
    if rlimit_nofile:
        head += "worker_rlimit_nofile %d;\n" % rlimit_nofile
    return """%sworker_processes %d;
pid %s/nginx.pid;
error_log %s/error.log info;
events { worker_connections %d; }
http {
    access_log %s/access.log;
    client_body_temp_path %s/client_body;
    proxy_temp_path %s/proxy;
    fastcgi_temp_path %s/fastcgi;
    uwsgi_temp_path %s/uwsgi;
    scgi_temp_path %s/scgi;
%s
}
""" % ((head, worker_processes) + (folder,) * 2 + (worker_connections,) + (folder,) * 6 + (site,))


class Nginx:
    """nginx in the foreground (`daemon off`), so the test owns and ends the process."""

    def __init__(self, folder, upstream_ports, listen_options="", **limits):
        """`listen_options` follow the address in @LISTEN@ (e.g. " reuseport"); `limits` are
        main_config's worker_processes, worker_connections and rlimit_nofile (defaults: a test's)."""
        self.folder = folder
        self.port = free_port()
        self.conf = folder / "nginx.conf"
        listen = "127.0.0.1:%d%s" % (self.port, listen_options)
        self.conf.write_text(main_config(folder, render(listen, upstream_ports), **limits))
        self.proc = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def command(self, *extra):
        return [NGINX, "-p", str(self.folder), "-e", str(self.folder / "error.log"),
                "-c", str(self.conf), *extra]

    def start(self, timeout=15, preexec_fn=None):
        """`preexec_fn` runs in the master before nginx starts (a benchmark pins it to a CPU there,
        and the workers it forks inherit that)."""
        check = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(self.command("-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=preexec_fn)
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
