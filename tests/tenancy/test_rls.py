"""Row-level security, proven as the app role with rows in two tenants."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from prm.tenancy.context import all_tenants, tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory


@pytest.fixture
def rows(tenant_a, tenant_b):
    return {
        tenant_a.pk: [MembershipFactory(tenant=tenant_a).pk for _ in range(2)],
        tenant_b.pk: [MembershipFactory(tenant=tenant_b).pk for _ in range(3)],
    }


def raw_tenant_ids(table: str = "accounts_membership") -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tenant_id FROM {table}")  # no WHERE: only the policy filters
        return [row[0] for row in cursor.fetchall()]


def session_setting() -> tuple[str | None, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('prm.tenant_id', true), current_user")
        return cursor.fetchone()


def test_tests_run_as_the_app_role(db):
    assert session_setting()[1] == settings.DATABASES["default"]["USER"]


def test_raw_select_under_tenant_a_returns_none_of_b(rows, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        assert sorted(raw_tenant_ids()) == [tenant_a.pk, tenant_a.pk]
    with tenant_context(tenant_b):
        assert set(raw_tenant_ids()) == {tenant_b.pk}


def test_no_tenant_set_means_no_rows(rows):
    assert raw_tenant_ids() == []
    assert raw_tenant_ids("audit_auditevent") == []


def test_platform_context_sees_every_tenant(rows, tenant_a, tenant_b):
    with all_tenants():
        assert sorted(set(raw_tenant_ids())) == sorted([tenant_a.pk, tenant_b.pk])
    assert session_setting()[1] == settings.DATABASES["default"]["USER"]


def test_writing_a_row_for_another_tenant_is_refused(rows, tenant_a, tenant_b):
    user_id = MembershipFactory(tenant=tenant_a).user_id
    with (
        tenant_context(tenant_a),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO accounts_membership (tenant_id, user_id, role, is_active, created_at, updated_at) "
            "VALUES (%s, %s, 'vendor_staff', true, now(), now())",
            [tenant_b.pk, user_id],
        )


def test_updates_cannot_reach_another_tenants_rows(rows, tenant_a, tenant_b):
    with tenant_context(tenant_a), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_membership SET role = 'vendor_staff' WHERE id = ANY(%s)", [rows[tenant_b.pk]])
        assert cursor.rowcount == 0


def test_the_app_role_cannot_switch_rls_off(rows, tenant_a):
    with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_membership DISABLE ROW LEVEL SECURITY")


@pytest.mark.urls("tests.tenancy.urls_boom")
def test_interleaved_requests_on_one_connection_never_carry_the_tenant_over(rows, tenant_a, tenant_b):
    client_a, client_b = portal_client(tenant_a), portal_client(tenant_b)
    for _ in range(3):
        for client, tenant in ((client_a, tenant_a), (client_b, tenant_b)):
            state = client.get("/_test/session").json()
            assert state["setting"] == str(tenant.pk)
            assert set(state["visible_tenants"]) == {tenant.pk}
            # between requests the connection is back to "no tenant", as the app role
            assert session_setting() == ("", settings.DATABASES["default"]["USER"])
            assert raw_tenant_ids() == []


@pytest.mark.urls("tests.tenancy.urls_boom")
def test_a_failing_request_still_resets_the_connection(rows, tenant_a):
    client = portal_client(tenant_a)
    client.raise_request_exception = False
    assert client.get("/_test/boom").status_code == 500
    assert session_setting()[0] == ""
    assert raw_tenant_ids() == []


@pytest.mark.urls("tests.tenancy.urls_boom")
def test_platform_requests_reset_the_role(rows):
    from tests.factories import UserFactory

    operator = UserFactory(is_staff=True, is_superuser=True)
    assert portal_client(None, operator).get("/admin/").status_code == 200
    assert session_setting() == ("", settings.DATABASES["default"]["USER"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.tenancy.urls_boom")
def test_interleaving_with_committed_settings_and_a_persistent_connection(tenant_a, tenant_b):
    """Autocommit, as in production: each set_config commits, so only the reset protects the next request."""
    MembershipFactory(tenant=tenant_a)
    MembershipFactory(tenant=tenant_b)
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    for tenant in (tenant_a, tenant_b, tenant_a):
        state = portal_client(tenant).get("/_test/session").json()
        assert set(state["visible_tenants"]) == {tenant.pk}
        assert session_setting()[0] == ""
    assert connection.connection.info.backend_pid == backend_pid
