"""Keeps the tenancy rules true as apps are added: scoped manager, RLS and an unprivileged app role."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from prm.tenancy.models import Tenant, TenantManager, TenantOwned


def tenant_fk_models():
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "tenant"), None)
        if field is not None and field.is_relation and field.related_model is Tenant:
            yield model


def test_there_are_tenant_owned_models_to_check():
    assert len(list(tenant_fk_models())) >= 4


@pytest.mark.parametrize("model", list(tenant_fk_models()), ids=lambda m: m._meta.label)
def test_every_model_with_a_tenant_fk_is_tenant_owned_and_scoped(model):
    assert issubclass(model, TenantOwned)
    assert isinstance(model._default_manager, TenantManager)
    tenant_led = [*model._meta.indexes, *model._meta.constraints]
    assert model._meta.get_field("tenant").db_index or any(
        (getattr(item, "fields", None) or [None])[0] == "tenant" for item in tenant_led
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(tenant_fk_models()), ids=lambda m: m._meta.label)
def test_every_tenant_table_has_forced_rls_and_both_policies(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = %s", [table])
        assert cursor.fetchone() == (True, True)
        cursor.execute("SELECT policyname, roles, qual FROM pg_policies WHERE tablename = %s", [table])
        policies = {name: (roles, qual) for name, roles, qual in cursor.fetchall()}
    assert set(policies) == {"prm_tenant_isolation", "prm_platform_access"}
    assert "current_setting('prm.tenant_id'" in policies["prm_tenant_isolation"][1]
    assert policies["prm_platform_access"][0] == [settings.PRM_DB_PLATFORM_ROLE]


# Deliberately global: one host name serves one tenant only.
GLOBAL_BY_DESIGN = {"tenancy_domain_hostname_unique"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(tenant_fk_models()), ids=lambda m: m._meta.label)
def test_every_index_and_unique_constraint_leads_with_tenant(model):
    """Read from the catalog, so expression indexes and FK indexes count too."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, a.attname, x.indpred IS NULL
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE t.relname = %s AND NOT x.indisprimary
            """,
            [model._meta.db_table],
        )
        rows = cursor.fetchall()
    assert any(column == "tenant_id" and full for _, column, full in rows), "needs a full index leading with tenant"
    offenders = {name: column for name, column, _ in rows if column != "tenant_id"}
    assert set(offenders) <= GLOBAL_BY_DESIGN, offenders


@pytest.mark.django_db
def test_the_app_role_is_unprivileged():
    app_role = settings.DATABASES["default"]["USER"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolinherit, rolcreaterole FROM pg_roles WHERE rolname = %s", [app_role]
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [app_role])
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [app_role])
        assert cursor.fetchone()[0] is False
        # Member of the platform role, but its rights apply only after an explicit SET ROLE.
        cursor.execute(
            "SELECT pg_has_role(%s, %s, 'MEMBER'), pg_has_role(%s, %s, 'USAGE')",
            [app_role, settings.PRM_DB_PLATFORM_ROLE] * 2,
        )
        assert cursor.fetchone() == (True, False)
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = %s",
            [settings.PRM_DB_PLATFORM_ROLE],
        )
        assert cursor.fetchone() == (False, False, False)


@pytest.mark.django_db
def test_the_owner_role_is_not_superuser_and_owns_the_tables():
    owner = settings.DATABASES["owner"]["USER"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [owner])
        assert cursor.fetchone() == (False, False)
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert [row[0] for row in cursor.fetchall()] == [owner]


def test_no_plain_views_over_tenant_tables(django_db_blocker):
    """A view runs with its owner's rights and would skip RLS."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_views WHERE schemaname = 'public'")
        assert cursor.fetchone()[0] == 0
