"""Production (docker-compose, real deployments): secrets from the environment, HTTPS only."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")

PRM_PUBLIC_SCHEME = env_str("PRM_PUBLIC_SCHEME", "https")
PRM_PUBLIC_PORT = env_str("PRM_PUBLIC_PORT", "")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
