"""pytest: a throwaway `<db>_test` database and Redis DB 15, real servers throughout."""

from .base import *  # noqa: F403
from .env import celery_broker_url, env_int, redis_url

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"

_test_name = f"{DATABASES['default']['NAME']}_test"  # noqa: F405
for _alias in ("default", "owner"):
    DATABASES[_alias]["NAME"] = _test_name  # noqa: F405
    DATABASES[_alias]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES[_alias]["TEST"] = {"NAME": _test_name}  # noqa: F405

REDIS_URL = redis_url(db=env_int("PRM_TEST_REDIS_DB", 15))
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "prm-test"  # noqa: F405
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
# A separate queue keeps a `make run` worker on the same Redis off test tasks.
CELERY_TASK_DEFAULT_QUEUE = "prm-test"
# A worker started by a test (tests/incentives/test_run_worker.py) redelivers a killed worker's
# unacknowledged task after this many seconds instead of the production two hours, and looks for such
# tasks every second (kombu's default sweep comes about every 100 s: interval 10 s x throttle 10).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("PRM_TEST_VISIBILITY_TIMEOUT", 2 * 60 * 60),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Serve static files straight from the source folders (no collectstatic needed).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
