"""Settings shared by every environment. Environment variables come from ``env.py``."""

from pathlib import Path

from celery.schedules import crontab, schedule
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import (
    celery_broker_url,
    database_roles,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")

# Tenant resolution is the host check: a host that is neither the platform host,
# a tenant subdomain nor a registered custom domain gets a 404 from
# TenantMiddleware. Restrict further here if a proxy forwards arbitrary hosts.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])
PRM_BASE_DOMAIN = (env_str("PRM_BASE_DOMAIN", "localhost") or "localhost").lower().strip(".")
PRM_PORT = env_int("PRM_PORT", 8000)
# How links in emails reach the portal: scheme and the port the public sees
# (empty for the default port of the scheme).
PRM_PUBLIC_SCHEME = env_str("PRM_PUBLIC_SCHEME", "http")
PRM_PUBLIC_PORT = env_str("PRM_PUBLIC_PORT", str(PRM_PORT))
PRM_HEARTBEAT_MAX_AGE = env_int("PRM_HEARTBEAT_MAX_AGE", 120)
# Password of every demo login created by `manage.py seed_demo`.
PRM_DEMO_PASSWORD = env_str("PRM_DEMO_PASSWORD", "prm-demo-2026")

INSTALLED_APPS = [
    # prm.ops first: its `migrate` command runs migrations as the owner role.
    "prm.ops",
    "prm.tenancy",
    "prm.accounts",
    "prm.audit",
    "prm.api",
    "prm.portal",
    "prm.notifications",
    "prm.apps.PrmAdminConfig",
    "partners",
    "deals",
    "incentives",
    "mdf",
    "content",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "prm.tenancy.middleware.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "prm.portal.middleware.TenantLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "prm.accounts.middleware.MembershipMiddleware",
    # partners (onboarding): partner admins accept a new agreement version before anything else.
    "partners.middleware.AgreementGateMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "prm.urls"
PRM_PLATFORM_URLCONF = "prm.urls_platform"
WSGI_APPLICATION = "prm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "prm.portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
_db = database_roles()
PRM_DB_ADMIN = _db["admin"]
PRM_DB_PLATFORM_ROLE = _db["platform_role"]
_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES = {
    # The app role: not superuser, not table owner, not BYPASSRLS.
    "default": {**_db["app"], "CONN_MAX_AGE": _CONN_MAX_AGE, "CONN_HEALTH_CHECKS": True},
    # The owner role: owns the tables, runs migrations (see prm.ops `migrate`).
    "owner": {**_db["owner"], "CONN_MAX_AGE": 0},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache --------------------------------------------
REDIS_URL = redis_url()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "prm",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
# Above the longest task, so a slow task is never redelivered while it runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "prm.ops.tasks.heartbeat_task",
        "schedule": schedule(30),
        # A heartbeat left in the queue while workers were down proves nothing.
        "options": {"expires": 60},
    },
    # partners (onboarding): activate finished partners, remind stalled ones; once a day per tenant.
    "partners-onboarding-sweep": {
        "task": "partners.tasks.onboarding.onboarding_sweep_all_task",
        "schedule": crontab(hour=6, minute=15),
    },
    # Tiers: every tenant's partners, daily (partners.services.tier_evaluate; a rerun the same day is a no-op).
    "partners-tier-evaluation": {
        "task": "partners.tasks.tiers.tier_evaluate_all_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Deals: expire ended protection and send the 14/7/1-day reminders, daily per tenant (a rerun is a no-op).
    "deals-protection-sweep": {
        "task": "deals.tasks.protection.deal_protection_sweep_all_task",
        "schedule": crontab(hour=5, minute=10),
    },
    # Deals (leads): pass on leads whose partner did not answer within the SLA; every 15 minutes per tenant.
    "deals-lead-sla-sweep": {
        "task": "deals.tasks.leads.lead_sla_sweep_all_task",
        "schedule": crontab(minute="*/15"),
    },
    # Incentives: provisional runs of open periods and final runs of periods past their grace days, daily
    # per tenant after the tier evaluation (a scheduled run exists once per day; re-executing it posts nothing).
    "incentives-runs": {
        "task": "incentives.tasks.runs.runs_schedule_all_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Incentives: points older than IncentiveSettings.points_expiry_months expire, oldest first; daily per tenant
    # (one expiry line per recipient and day, so a rerun the same day posts nothing).
    "incentives-points-expiry": {
        "task": "incentives.tasks.points.points_expire_all_task",
        "schedule": crontab(hour=1, minute=45),
    },
    # Incentives: leaderboard snapshots of the current month, quarter and year, hourly per tenant (runs refresh
    # their own period too); the daily entry also re-ranks the periods just ended (late sales, final runs).
    "incentives-leaderboards": {
        "task": "incentives.tasks.leaderboards.leaderboards_refresh_all_task",
        "schedule": crontab(hour=4, minute=45),
        "kwargs": {"previous": True},
    },
    "incentives-leaderboards-hourly": {
        "task": "incentives.tasks.leaderboards.leaderboards_refresh_all_task",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    # MDF: period-start allocations (tier benefits, co-op accruals) of funds in their period, daily per tenant
    # after the tier evaluation (a partner that has its allocation keeps it, so a rerun adds nothing).
    "mdf-period-start": {
        "task": "mdf.tasks.lifecycle.funds_period_start_all_task",
        "schedule": crontab(hour=2, minute=50),
    },
    # MDF: approved requests not claimed in time lapse, then what is left of allocations of expired funds expires
    # and returns to the fund; daily per tenant.
    "mdf-expiry": {
        "task": "mdf.tasks.lifecycle.mdf_expiry_sweep_all_task",
        "schedule": crontab(hour=2, minute=20),
    },
    # MDF: reminders before an allocation expires or a claim is due; daily per tenant (each sent once).
    "mdf-reminders": {
        "task": "mdf.tasks.lifecycle.mdf_reminders_send_all_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Content: email the audience of scheduled announcements whose time came; every 5 minutes per tenant (each
    # announcement is claimed once, so a rerun sends nothing).
    "content-announcements-email": {
        "task": "content.tasks.announcements.announcements_due_send_all_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # Training: certifications past their expiry expire (the holder is told) and holders are reminded 30 days
    # before; daily per tenant (each sent once).
    "content-certifications": {
        "task": "content.tasks.training.certifications_sweep_all_task",
        "schedule": crontab(hour=6, minute=40),
    },
}
# Partners per committed chunk of an incentive run (a killed run keeps its finished chunks).
INCENTIVES_RUN_CHUNK_SIZE = env_int("PRM_INCENTIVES_RUN_CHUNK_SIZE", 1000)

# --- Identity -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["prm.accounts.backends.TenantMembershipBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"

ACCOUNT_ADAPTER = "prm.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"reset_password": "prm.accounts.forms.TenantResetPasswordForm"}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PRM"

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PRM <no-reply@prm.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18n ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("nl", _("Dutch")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the web root and are served only by authorising views.
MEDIA_ROOT = Path(env_str("PRM_MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
PRM_LOGO_MAX_BYTES = 512 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security headers ---------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "prm.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["prm.api.permissions.IsTenantMember"],
    "DEFAULT_PAGINATION_CLASS": "prm.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("PRM_API_ANON_RATE", "60/min"),
        "user": env_str("PRM_API_USER_RATE", "600/min"),
        "auth_token": env_str("PRM_API_TOKEN_RATE", "10/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "prm.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "prm.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    # Choice sets that share a field name get explicit component names.
    "ENUM_NAME_OVERRIDES": {
        "PartnerStatusEnum": "partners.models.PartnerStatus",
        "PartnerApplicationStatusEnum": "partners.models.PartnerApplication.Status",
        "ProgramKindEnum": "partners.models.Program.Kind",
        "TierChangeKindEnum": "partners.models.TierChange.Kind",
        "TierChangeStatusEnum": "partners.models.TierChange.Status",
        "SaleRecordKindEnum": "deals.models.SaleRecord.Kind",
        "LeadStatusEnum": "deals.models.Lead.Status",
        # incentives: programs and runs
        "IncentiveProgramKindEnum": "incentives.models.ProgramKind",
        "IncentiveRunKindEnum": "incentives.models.Run.Kind",
        "IncentiveUnitEnum": "incentives.models.Unit",
        "PartnerTypeEnum": "partners.profile.PartnerType",
        "RegionEnum": "partners.profile.Region",
        # mdf
        "MdfRequestStatusEnum": "mdf.models.MdfRequestStatus",
        "MdfClaimStatusEnum": "mdf.models.MdfClaimStatus",
        "MdfProofKindEnum": "mdf.models.ProofKind",
        # content: library
        "ContentAssetKindEnum": "content.models.AssetKind",
        "ContentStageEnum": "content.models.Stage",
        # content: training authoring
        "ContentLessonKindEnum": "content.models.LessonKind",
        "ContentQuestionKindEnum": "content.models.QuestionKind",
    },
    "TITLE": "PRM API",
    "DESCRIPTION": (
        "Partner relationship management API. Every call is made on a tenant's host "
        "(e.g. acme.localhost:8000); the host decides the tenant."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PRM_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
