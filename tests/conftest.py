"""Test database: recreated per run by the admin role, migrated by the owner role, used by the
app role (so row-level security applies to every test exactly as in production)."""

import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import translation

from prm.accounts.middleware import SESSION_SCOPE_KEY
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context

from .factories import MembershipFactory, TenantFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    from prm.ops.dbroles import ensure_database, ensure_roles, grant_truncate_for_tests

    with django_db_blocker.unblock():
        ensure_roles()
        ensure_database(settings.DATABASES["owner"]["NAME"], recreate=True)
        call_command("migrate", database="owner", verbosity=0, interactive=False)
        grant_truncate_for_tests()
        connections["owner"].close()
    yield


@pytest.fixture(scope="session")
def openapi_paths(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """The API schema's paths, built once per run as `spectacular` builds it (validated; any warning fails)."""
    output = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(output))
    return json.loads(output.read_text())["paths"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request in another language leaves it active on the thread."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def worker(transactional_db):
    """A real Celery worker (solo pool, in this process) over the test Redis, for integration tests."""
    from celery.contrib.testing.worker import start_worker

    from prm.celery import app

    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        yield


@pytest.fixture
def tenant_a(db):
    return TenantFactory(slug="acme", name="Acme Cloud", primary_color="#0f3d91")


@pytest.fixture
def tenant_b(db):
    return TenantFactory(slug="globex", name="Globex Software", primary_color="#0f766e")


def host_of(tenant) -> str:
    return f"{tenant.slug}.{settings.PRM_BASE_DOMAIN}"


def portal_client(tenant=None, user=None) -> Client:
    """A test client on `tenant`'s host (the platform host when None), signed in as `user`."""
    host = host_of(tenant) if tenant is not None else settings.PRM_BASE_DOMAIN
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
        session = client.session
        session[SESSION_SCOPE_KEY] = f"tenant:{tenant.pk}" if tenant is not None else "platform"
        session.save()
    return client


@pytest.fixture
def member(db):
    """member(tenant, role=...) → a Membership with a fresh user."""

    def make(tenant, role=Role.CHANNEL_MANAGER, **kwargs):
        return MembershipFactory(tenant=tenant, role=role, **kwargs)

    return make


@pytest.fixture
def in_tenant():
    """`with in_tenant(t):` — shorthand for tenant_context in test bodies."""
    return tenant_context


@pytest.fixture
def celery_eager():
    """Run tasks inline (unit tests); integration tests use a real worker instead."""
    from prm.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
