"""PgBouncer in transaction mode in front of the test PostgreSQL, as Heroku's connection pooling
runs it: a client's statements may each go to a different server connection unless they are
inside one transaction, and a tiny server pool makes that happen all the time.

Debian's `pgbouncer` package; it refuses to run as root, so as root it runs as the owner of the
database's socket directory (the embedded PostgreSQL's), or as `nobody` for a TCP server.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"

CONFIG = """
[databases]
{dbname} = host={host} {port_line} dbname={dbname} user={user}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen_port}
unix_socket_dir =
auth_type = trust
auth_file = {workdir}/users.txt
pool_mode = transaction
default_pool_size = {pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {workdir}/pgbouncer.log
pidfile = {workdir}/pgbouncer.pid
"""


def pgbouncer_available() -> bool:
    return Path(PGBOUNCER).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgBouncer:
    """`PgBouncer(settings_dict).url` is a DATABASE_URL that goes through the pooler."""

    def __init__(self, db: dict, *, pool_size: int = 2) -> None:
        self.db = db
        self.pool_size = pool_size
        self.port = _free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="awan-pgbouncer-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        user = quote(self.db["USER"] or "postgres")
        return f"postgres://{user}@127.0.0.1:{self.port}/{self.db['NAME']}"

    def _run_as(self, host: str) -> list[str]:
        if os.geteuid() != 0:
            return []
        owner = pwd.getpwuid(os.stat(host).st_uid).pw_name if host.startswith("/") else "nobody"
        return ["-u", owner]

    def start(self) -> PgBouncer:
        host = self.db["HOST"] or self.db["OPTIONS"].get("host", "") or "127.0.0.1"
        user = self.db["USER"] or "postgres"
        self.workdir.chmod(0o777)
        (self.workdir / "users.txt").write_text(f'"{user}" ""\n')
        config = self.workdir / "pgbouncer.ini"
        config.write_text(
            CONFIG.format(
                dbname=self.db["NAME"],
                host=host,
                port_line=f"port={self.db['PORT']}" if self.db["PORT"] else "",
                user=user,
                listen_port=self.port,
                pool_size=self.pool_size,
                workdir=self.workdir,
            )
        )
        for path in self.workdir.iterdir():
            path.chmod(0o666)
        self.process = subprocess.Popen(
            [PGBOUNCER, *self._run_as(host), str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"pgbouncer did not start: {self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log(self) -> str:
        path = self.workdir / "pgbouncer.log"
        return path.read_text() if path.exists() else ""
