"""Every environment variable PRM reads is read here, and only here."""

import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value; unset and empty both mean `default`."""
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_roles() -> dict[str, dict]:
    """Connection settings for the three ways PRM talks to PostgreSQL.

    ``DATABASE_URL`` names the server and database, with the credentials of an
    administrative role that may create roles and databases; it is used only by
    ``manage.py db_bootstrap``. The web, worker and beat processes connect as the
    unprivileged *app* role and migrations run as the *owner* role; both live on
    the same server and database and may be given whole URLs of their own
    (``DATABASE_APP_URL``/``DATABASE_OWNER_URL``) or just role names and passwords.
    """
    admin_url = env_str("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/prm"
    admin = dj_database_url.parse(admin_url)

    def role(prefix: str, default_user: str, default_password: str) -> dict:
        explicit = env_str(f"DATABASE_{prefix}_URL")
        if explicit:
            return dj_database_url.parse(explicit)
        config = dict(admin)
        config["USER"] = env_str(f"PRM_DB_{prefix}_USER", default_user)
        config["PASSWORD"] = env_str(f"PRM_DB_{prefix}_PASSWORD", default_password)
        return config

    return {
        "admin": admin,
        "owner": role("OWNER", "prm_owner", "prm-owner-dev"),
        "app": role("APP", "prm_app", "prm-app-dev"),
        "platform_role": env_str("PRM_DB_PLATFORM_ROLE", "prm_platform"),
    }


def redis_url(db: int | None = None) -> str:
    """``REDIS_URL`` (``redis://``, ``rediss://`` or ``unix://``), optionally moved to another DB."""
    url = env_str("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if db is None:
        return url
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(db)
        return f"unix://{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def celery_broker_url(url: str) -> str:
    """Kombu spells a Redis unix socket ``redis+socket://``; redis-py spells it ``unix://``."""
    parts = urlsplit(url)
    if parts.scheme != "unix":
        return url
    query = dict(parse_qsl(parts.query))
    db = query.pop("db", "0")
    query["virtual_host"] = db
    return f"redis+socket://{parts.path}?{urlencode(query)}"
