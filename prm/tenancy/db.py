"""The database side of the tenant context and the SQL of the row-level security policy."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connections

from .context import NO_TENANT, TenantState, current_state

# Aliases that serve requests and tasks. The owner alias only runs migrations.
RUNTIME_ALIASES = ("default",)

_APPLY_SQL = "SELECT set_config('prm.tenant_id', %s, false), set_config('role', %s, false)"


def _values(state: TenantState) -> list[str]:
    tenant_id = "" if state.tenant is None else str(state.tenant.pk)
    role = settings.PRM_DB_PLATFORM_ROLE if state.platform else "none"
    return [tenant_id, role]


def apply_to_connection(connection, state: TenantState) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_APPLY_SQL, _values(state))


def apply_state(state: TenantState) -> None:
    """Make every open runtime connection match `state`.

    Session-level settings survive the transaction, so they are reset when the
    context ends; a connection that cannot be reset is closed rather than
    reused with a stale tenant. Connections opened later pick the state up in
    `on_connection_created`.
    """
    for alias in RUNTIME_ALIASES:
        connection = connections[alias]
        if connection.connection is None:
            continue
        try:
            apply_to_connection(connection, state)
        except DatabaseError:
            if state is not NO_TENANT:
                raise
            connection.close()


def on_connection_created(sender, connection, **kwargs) -> None:
    if connection.alias not in RUNTIME_ALIASES:
        return
    state = current_state()
    if state.is_set:
        apply_to_connection(connection, state)


def policy_predicate() -> str:
    return "tenant_id = NULLIF(current_setting('prm.tenant_id', true), '')::bigint"


def enable_rls_sql(table: str, platform_role: str) -> list[str]:
    """ENABLE + FORCE row-level security with the two PRM policies (names already quoted).

    `prm_tenant_isolation` applies to every role: a row is visible only while
    `prm.tenant_id` names its tenant (unset means nothing is visible).
    `prm_platform_access` lets the platform role (entered by `all_tenants()`
    and inherited by the owner for data migrations) see all rows.
    """
    predicate = policy_predicate()
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY prm_tenant_isolation ON {table} USING ({predicate}) WITH CHECK ({predicate})",
        f"CREATE POLICY prm_platform_access ON {table} TO {platform_role} USING (true) WITH CHECK (true)",
    ]


def disable_rls_sql(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS prm_platform_access ON {table}",
        f"DROP POLICY IF EXISTS prm_tenant_isolation ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]
