import os
import subprocess
import sys
from pathlib import Path

import pytest

from prm.settings import env

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_settings():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prm.settings.production",
        "SECRET_KEY": "k3Yq!vP9#rT2mZ8@wL5^nB1&xC7*dF4(gH6)jS0-aQ-production-check-key",
        "DEBUG": "false",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment["DJANGO_SETTINGS_MODULE"] = "prm.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_roles_derive_from_the_admin_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://admin:secret@db.internal:6543/prm")
    monkeypatch.setenv("PRM_DB_APP_PASSWORD", "app-pass")
    monkeypatch.delenv("DATABASE_APP_URL", raising=False)
    monkeypatch.setenv("DATABASE_OWNER_URL", "postgres://owner:o@other:5432/prm")
    roles = env.database_roles()
    assert (roles["admin"]["USER"], roles["admin"]["HOST"], roles["admin"]["PORT"]) == ("admin", "db.internal", 6543)
    assert (roles["app"]["USER"], roles["app"]["PASSWORD"], roles["app"]["HOST"]) == (
        "prm_app",
        "app-pass",
        "db.internal",
    )
    assert (roles["owner"]["USER"], roles["owner"]["HOST"]) == ("owner", "other")


def test_unix_socket_urls_for_embedded_servers(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@%2Fwork%2F.data%2Fpg/prm")
    assert env.database_roles()["app"]["HOST"] == "/work/.data/pg"
    monkeypatch.setenv("REDIS_URL", "unix:///tmp/r/redis.socket?db=0")
    assert env.redis_url(db=15) == "unix:///tmp/r/redis.socket?db=15"
    assert env.celery_broker_url(env.redis_url()) == "redis+socket:///tmp/r/redis.socket?virtual_host=0"
    monkeypatch.setenv("REDIS_URL", "redis://:pw@cache:6379/0")
    assert env.redis_url(db=15) == "redis://:pw@cache:6379/15"
    assert env.celery_broker_url(env.redis_url()) == "redis://:pw@cache:6379/0"


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("Yes", True), ("off", False)])
def test_boolean_variables(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG", not expected) is expected


def test_bad_values_are_reported_by_name(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be a boolean"):
        env.env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_NUMBER", "eight")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be an integer"):
        env.env_int("SOME_NUMBER", 1)
