import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import Heartbeat
from .services import BEAT_WORKER


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    cache._cache.get_client().ping()


def health_report() -> dict:
    database = _timed(_database)
    redis = _timed(_redis)
    heartbeat: dict = {"ok": False, "age_seconds": None, "max_age_seconds": settings.PRM_HEARTBEAT_MAX_AGE}
    if database["ok"]:
        seen_at = Heartbeat.objects.filter(name=BEAT_WORKER).values_list("seen_at", flat=True).first()
        if seen_at is not None:
            age = (timezone.now() - seen_at).total_seconds()
            heartbeat.update(
                ok=age <= settings.PRM_HEARTBEAT_MAX_AGE, age_seconds=round(age, 1), last_seen=seen_at.isoformat()
            )
    ok = database["ok"] and redis["ok"] and heartbeat["ok"]
    return {"status": "ok" if ok else "fail", "database": database, "redis": redis, "heartbeat": heartbeat}
