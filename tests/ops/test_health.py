from datetime import timedelta

import pytest
from django.utils import timezone

from prm.ops.models import Heartbeat
from prm.ops.services import BEAT_WORKER, heartbeat_record
from prm.ops.tasks import heartbeat_task
from tests.conftest import portal_client


def health(**extra):
    return portal_client().get("/healthz", **extra)


def test_healthy_when_database_redis_and_a_fresh_heartbeat(db):
    heartbeat_task()
    response = health()
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"]
    assert body["heartbeat"]["ok"] and body["heartbeat"]["age_seconds"] < 5
    assert response["Cache-Control"].startswith("max-age=0")


def test_503_without_any_heartbeat(db):
    response = health()
    assert response.status_code == 503
    assert response.json()["heartbeat"] == {"ok": False, "age_seconds": None, "max_age_seconds": 120}


def test_503_when_the_heartbeat_is_stale(db, settings):
    heartbeat_record()
    Heartbeat.objects.filter(name=BEAT_WORKER).update(seen_at=timezone.now() - timedelta(seconds=121))
    body = health().json()
    assert body["status"] == "fail" and body["heartbeat"]["ok"] is False and body["heartbeat"]["age_seconds"] >= 121


def test_503_when_redis_is_unreachable(db, settings):
    heartbeat_record()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = health()
    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False and "ConnectionError" in response.json()["redis"]["error"]


@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "10.0.0.5:8000"])
def test_health_is_answered_on_any_host(db, host):
    assert health(HTTP_HOST=host).status_code in (200, 503)


def test_heartbeat_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == "prm.ops.tasks.heartbeat_task"
    assert entry["schedule"].run_every.total_seconds() < settings.PRM_HEARTBEAT_MAX_AGE
