"""Celery tasks act for exactly the tenant they are given, run by a real worker over Redis."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.db import connection

from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.accounts.services import membership_invite
from prm.celery import app
from prm.tenancy.celery import fan_out_to_tenants, tenant_task
from prm.tenancy.context import all_tenants, current_state, tenant_context
from tests.factories import MembershipFactory, UserFactory


@tenant_task
def probe_task(*, tenant_id: int, foreign_membership_id: int, report_key: str) -> None:
    """Reports what a task for one tenant can see and change of another tenant's row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tenant_id FROM accounts_membership")
        visible = sorted(row[0] for row in cursor.fetchall())
        cursor.execute("UPDATE accounts_membership SET role = 'vendor_staff' WHERE id = %s", [foreign_membership_id])
        updated = cursor.rowcount
    cache.set(
        report_key,
        {
            "context_tenant": current_state().tenant.pk,
            "visible_tenants": visible,
            "foreign_found": Membership.objects.filter(pk=foreign_membership_id).exists(),
            "foreign_updated": updated,
        },
        timeout=60,
    )


def wait_for(key: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"no report under {key} within {timeout}s")


@pytest.fixture
def worker(transactional_db):
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_task_for_tenant_a_cannot_touch_tenant_b(worker, tenant_a, tenant_b):
    MembershipFactory(tenant=tenant_a)
    foreign = MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN)
    key = f"probe:{uuid.uuid4()}"

    probe_task.delay(tenant_id=tenant_a.pk, foreign_membership_id=foreign.pk, report_key=key)

    report = wait_for(key)
    assert report == {
        "context_tenant": tenant_a.pk,
        "visible_tenants": [tenant_a.pk],
        "foreign_found": False,
        "foreign_updated": 0,
    }
    with all_tenants():
        assert Membership.objects.get(pk=foreign.pk).role == Role.TENANT_ADMIN


@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_by_the_worker_after_commit(worker, tenant_a, settings):
    admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    with tenant_context(tenant_a):
        membership_invite(tenant=tenant_a, actor=admin.user, email="new.manager@example.com", role=Role.CHANNEL_MANAGER)
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.manager@example.com"]
    assert "http://acme.localhost:8000/accounts/password/reset/key/" in message.body


def test_a_tenant_task_needs_tenant_id(celery_eager):
    with pytest.raises(TypeError, match="tenant_id"):
        probe_task.delay(foreign_membership_id=1, report_key="x")


@pytest.mark.django_db
def test_the_context_ends_with_the_task(celery_eager, tenant_a, tenant_b):
    foreign = MembershipFactory(tenant=tenant_b)
    UserFactory()
    probe_task.delay(tenant_id=tenant_a.pk, foreign_membership_id=foreign.pk, report_key="eager")
    assert cache.get("eager")["visible_tenants"] == []  # no A rows yet, and never B's
    assert not current_state().is_set
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('prm.tenant_id', true)")
        assert cursor.fetchone()[0] == ""


@tenant_task
def record_tenant_task(*, tenant_id: int, report_key: str) -> None:
    cache.set(f"{report_key}:{current_state().tenant.slug}", True, timeout=60)


@pytest.mark.django_db
def test_fan_out_enqueues_once_per_active_tenant(celery_eager, tenant_a, tenant_b):
    tenant_b.status = tenant_b.Status.SUSPENDED
    tenant_b.save()
    assert fan_out_to_tenants(record_tenant_task, report_key="fan") == 1
    assert cache.get("fan:acme") is True and cache.get("fan:globex") is None
