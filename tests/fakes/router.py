"""Heroku's router on this machine: a real nginx in front of the web dynos, and a client that
talks to it the way a browser talks to https://<app>.herokuapp.com.

What the router does, as Heroku documents it: the client connects to port 443 over TLS, so
its `Host` has no port; the router terminates TLS, forwards the same `Host`, appends the
client's address to `X-Forwarded-For`, and adds `X-Forwarded-Proto: https`,
`X-Forwarded-Port: 443`, `X-Request-Id`, `X-Request-Start` and `Via`. The dyno sees its own
`$PORT` as the server port. A test that talks straight to gunicorn never sees any of this.

`HerokuRouter` writes an nginx config doing exactly that and runs nginx (Debian's
`nginx-light`) in the foreground; `RouterClient` sends requests for `https://<host>/<path>` to
the router's loopback port with that `Host`, keeping cookies per host and path like a browser
(Secure cookies included: the client believes it is on https).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = """
daemon off;
master_process on;
worker_processes 1;
{user}
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    upstream dynos {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://dynos;
            proxy_http_version 1.1;
            proxy_redirect off;
            # $host: the client's Host without a port, as a browser on :443 sends it.
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-Port 443;
            proxy_set_header X-Request-Id $request_id;
            proxy_set_header X-Request-Start "t=${{msec}}";
            proxy_set_header Via "1.1 vegur";
        }}
    }}
}}
"""


def nginx_available() -> bool:
    return Path(NGINX).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HerokuRouter:
    def __init__(self, upstream_ports: list[int], *, workdir: Path, port: int | None = None):
        self.upstream_ports = upstream_ports
        self.workdir = workdir
        self.port = port or _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> HerokuRouter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if not nginx_available():
            raise RuntimeError("nginx is needed for the router (apt-get install nginx-light)")
        (self.workdir / "tmp").mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in self.upstream_ports)
        conf = self.workdir / "nginx.conf"
        conf.write_text(
            CONFIG.format(
                work=self.workdir,
                port=self.port,
                servers=servers,
                user="user root;" if os.geteuid() == 0 else "",
            )
        )
        self.process = subprocess.Popen(
            [
                NGINX,
                "-p",
                str(self.workdir),
                "-c",
                str(conf),
                "-e",
                str(self.workdir / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not start: {self.error_log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def error_log(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class RouterClient:
    """A browser's view of https://<host>: every request goes to the router's port."""

    router_port: int
    user_agent: str = "awan-rehearsal/1"
    cookies: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (host, path, name)

    def _cookie_header(self, host: str, path: str) -> str:
        matching = [
            (len(cpath), name, value)
            for (chost, cpath, name), value in self.cookies.items()
            if chost == host and path.startswith(cpath)
        ]
        matching.sort(reverse=True)  # longest path first, as browsers order them
        return "; ".join(f"{name}={value}" for _, name, value in matching)

    def cookie(self, host: str, name: str) -> str:
        return next((v for (h, _, n), v in self.cookies.items() if h == host and n == name), "")

    def request(
        self,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.port:
            raise AssertionError(f"behind the router every URL is https on 443, not {url!r}")
        host, path = (
            parts.hostname or "",
            (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
        )
        sent = {"Host": host, "User-Agent": self.user_agent, **(headers or {})}
        cookie = self._cookie_header(host, parts.path or "/")
        if cookie:
            sent["Cookie"] = cookie
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check for https: the request must come from this origin.
            sent.setdefault("Origin", f"https://{host}")
            sent.setdefault("Referer", url)
        connection = http.client.HTTPConnection("127.0.0.1", self.router_port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(
                status=raw.status,
                headers={k.lower(): v for k, v in raw.getheaders()},
                body=raw.read().decode(errors="replace"),
            )
            for header in raw.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    self.cookies[(host, morsel["path"] or "/", name)] = morsel.value
        finally:
            connection.close()
        return response

    def get(self, url: str, **kwargs) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> Response:
        return self.request("POST", url, **kwargs)
