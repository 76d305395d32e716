"""What every bench script shares: environment defaults, Django set-up on the bench database, timing and tables.

Imported by the scripts in this folder (`python bench/<script>.py` puts bench/ on sys.path). Nothing here
imports Django models at module level: `setup()` has to run first.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/prm_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# Generated tenants are `bench-1` … `bench-N`; `bench-1` is the measured one, the others are noisy neighbours.
TENANT_SLUG_PREFIX = "bench-"
MEASURED_TENANT = "bench-1"
# Generated users: m0000001@bench-1.bench.invalid; member 1 of each tenant is its tenant admin.
USER_EMAIL_SUFFIX = ".bench.invalid"


class SetupError(Exception):
    """The bench cannot run (database, Redis or data missing); the message says what to do."""


def tenant_slug(index: int) -> str:
    return f"{TENANT_SLUG_PREFIX}{index}"


def member_email(slug: str, n: int) -> str:
    return f"m{n:07d}@{slug}{USER_EMAIL_SUFFIX}"


def _configure_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings.local")
    if not os.environ.get("DATABASE_URL", "").strip():
        os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL
    if not os.environ.get("REDIS_URL", "").strip():
        os.environ["REDIS_URL"] = DEFAULT_REDIS_URL
    # Measure production behaviour (no query log, cached templates), whatever the settings module defaults to.
    os.environ.setdefault("DEBUG", "false")


def setup(*, check_redis: bool = False) -> None:
    """Django on the bench database: roles, database and migrations ensured (idempotent)."""
    _configure_environment()
    import django

    try:
        django.setup()
    except Exception as exc:  # any settings error is a setup failure with a message
        raise SetupError(f"Django settings failed to load: {exc}") from exc

    import psycopg2
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, connections

    from prm.ops.dbroles import ensure_database, ensure_roles

    names = {settings.DATABASES[alias]["NAME"] for alias in ("default", "owner")}
    if len(names) != 1:
        raise SetupError(f"The app and owner roles point at different databases: {sorted(names)}.")
    name = names.pop()
    if "bench" not in name:
        raise SetupError(
            f"Refusing to run against database {name!r}: the bench writes and truncates data. "
            f"Point DATABASE_URL at a database whose name contains 'bench' (default {DEFAULT_DATABASE_URL})."
        )
    admin = settings.PRM_DB_ADMIN
    where = f"{admin['HOST'] or 'local socket'}:{admin['PORT'] or 5432}"
    try:
        ensure_roles()
        ensure_database(name)
        call_command("migrate", database="owner", verbosity=0, interactive=False)
    except (psycopg2.Error, DatabaseError) as exc:
        raise SetupError(f"Preparing database {name} on {where} failed: {str(exc).strip()}") from exc
    finally:
        connections["owner"].close()
    if check_redis:
        from django.core.cache import cache

        try:
            cache.set("bench:ping", 1, 5)
        except Exception as exc:  # redis-py raises several unrelated types
            raise SetupError(f"Redis at {settings.REDIS_URL} is not reachable: {exc}") from exc


def run(main: Callable[[], int | None]) -> None:
    """Run `main`, turning a SetupError into a readable message and exit status 2."""
    try:
        code = main()
    except SetupError as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code or 0)


def database_label() -> str:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"{db['NAME']} on {db['HOST'] or 'socket'}:{db['PORT'] or 5432} (PostgreSQL {version.split()[0]})"


def bench_tenants():
    """The generated tenants, measured tenant first (a list of Tenant)."""
    from prm.tenancy.models import Tenant

    tenants = list(Tenant.objects.filter(slug__startswith=TENANT_SLUG_PREFIX))
    tenants = [t for t in tenants if t.slug[len(TENANT_SLUG_PREFIX) :].isdigit()]
    return sorted(tenants, key=lambda t: int(t.slug[len(TENANT_SLUG_PREFIX) :]))


def measured_tenant(slug: str = MEASURED_TENANT):
    from prm.tenancy.models import Tenant

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise SetupError(f"Tenant {slug!r} does not exist in the bench database: run `python bench/datagen.py` first.")
    return tenant


# --- Machine load ---------------------------------------------------------------------------------------------------


def _cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs from /proc/stat; None where it does not exist."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


class CpuMeter:
    """Share of the machine's CPU in use between start() and busy(), this bench and PostgreSQL included.

    One bench process plus its PostgreSQL backend keep about one core busy; much more than that means
    something else ran during the measurement and the figures are noisier than usual.
    """

    def __init__(self) -> None:
        self._start = _cpu_times()

    def busy(self) -> str:
        end = _cpu_times()
        if self._start is None or end is None or end[1] == self._start[1]:
            return "n/a"
        share = (end[0] - self._start[0]) / (end[1] - self._start[1]) * 100
        return f"{share:.0f}% of {os.cpu_count()} CPUs"


# --- Timing -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    samples: tuple[float, ...]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measurement_parser(description: str) -> argparse.ArgumentParser:
    """The options every measuring script takes: repetitions, warm-up and the measured tenant."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=30, help="timed repetitions per variant (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed repetitions first (default 3)")
    parser.add_argument("--tenant", default=MEASURED_TENANT, help="tenant slug to measure")
    return parser


def parse_measurement_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    args = parser.parse_args()
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be >= 1 and --warmup >= 0")
    return args


def measure(variants: dict[str, Callable[[], object]], *, repeat: int, warmup: int) -> dict[str, Stats]:
    """Time each variant `repeat` times after `warmup` untimed runs, round-robin so drift hits all alike."""
    for _ in range(warmup):
        for fn in variants.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, fn in variants.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: Stats(tuple(values)) for name, values in samples.items()}


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.3f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "n/a"


def explain(connection_, sql: str, options: str = "ANALYZE, BUFFERS") -> list[str]:
    """The plan of `sql` run on `connection_` (`EXPLAIN (<options>)`), one string per line."""
    with connection_.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return [row[0] for row in cursor.fetchall()]


# --- Output -------------------------------------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str | None = None) -> None:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(_is_number(row[i]) for row in cells[1:]) and len(cells) > 1 for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    if title:
        print(f"\n{title}")
    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def _is_number(text: str) -> bool:
    cleaned = text.replace(",", "").rstrip("x%").strip()
    if cleaned in ("", "n/a", "-"):
        return True
    try:
        float(cleaned)
    except ValueError:
        return False
    return True
