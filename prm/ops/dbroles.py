"""PostgreSQL roles, database and grants PRM needs, created idempotently.

- owner role: owns the tables, runs migrations; inherits the platform role so
  data migrations see every tenant's rows.
- app role: what web, worker and beat connect as. Not superuser, not owner,
  not BYPASSRLS, NOINHERIT: it reaches other tenants' rows only by an explicit
  `SET ROLE <platform>` (prm.tenancy.context.all_tenants).
- platform role: NOLOGIN; the row-level policies let it see all rows.
"""

import logging
from dataclasses import dataclass

import psycopg2
from django.conf import settings
from django.db import connections
from psycopg2 import sql

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Roles:
    owner: str
    owner_password: str
    app: str
    app_password: str
    platform: str


def configured_roles() -> Roles:
    owner, app = settings.DATABASES["owner"], settings.DATABASES["default"]
    return Roles(owner["USER"], owner["PASSWORD"], app["USER"], app["PASSWORD"], settings.PRM_DB_PLATFORM_ROLE)


def admin_connect(dbname: str = "postgres"):
    """A connection as the administrative role of DATABASE_URL (the maintenance DB by default)."""
    admin = settings.PRM_DB_ADMIN
    connection = psycopg2.connect(
        dbname=dbname,
        user=admin["USER"],
        password=admin["PASSWORD"] or None,
        host=admin["HOST"] or None,
        port=admin["PORT"] or None,
        **admin.get("OPTIONS", {}),
    )
    connection.autocommit = True
    return connection


def _role_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    return cursor.fetchone() is not None


def _ensure_role(cursor, name: str, attributes: str, password: str | None) -> None:
    verb = "ALTER" if _role_exists(cursor, name) else "CREATE"
    statement = sql.SQL(f"{verb} ROLE {{}} {attributes}").format(sql.Identifier(name))
    if password is not None:
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    cursor.execute(statement)


def ensure_roles(roles: Roles | None = None) -> None:
    roles = roles or configured_roles()
    connection = admin_connect()
    with connection.cursor() as cursor:
        unprivileged = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION"
        _ensure_role(cursor, roles.owner, f"LOGIN INHERIT {unprivileged}", roles.owner_password)
        _ensure_role(cursor, roles.platform, f"NOLOGIN {unprivileged}", None)
        _ensure_role(cursor, roles.app, f"LOGIN NOINHERIT {unprivileged}", roles.app_password)
        cursor.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(roles.platform), sql.Identifier(roles.owner)))
        cursor.execute("SHOW server_version_num")
        no_inherit = sql.SQL(" WITH INHERIT FALSE") if int(cursor.fetchone()[0]) >= 160000 else sql.SQL("")
        cursor.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(roles.platform), sql.Identifier(roles.app)) + no_inherit
        )
    connection.close()


def ensure_database(name: str, *, recreate: bool = False, roles: Roles | None = None) -> None:
    """Create `name` owned by the owner role and lock its public schema down to the owner."""
    roles = roles or configured_roles()
    connection = admin_connect()
    with connection.cursor() as cursor:
        if recreate:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(
                sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name), sql.Identifier(roles.owner)
                )
            )
    connection.close()
    connection = admin_connect(name)
    with connection.cursor() as cursor:
        owner, app, platform = (sql.Identifier(r) for r in (roles.owner, roles.app, roles.platform))
        cursor.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name), owner))
        cursor.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner))
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}").format(app, platform))
        cursor.execute(sql.SQL("REVOKE CREATE ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name)))
        _ensure_search_extensions(cursor)
    connection.close()


# Fuzzy matching (deal conflicts) needs pg_trgm, and its trigram GIN indexes lead with tenant_id (btree_gin).
SEARCH_EXTENSIONS = ("pg_trgm", "btree_gin")


def _ensure_search_extensions(cursor) -> None:
    """Create the extensions as the administrative role and mark pg_trgm's `%` operator LEAKPROOF.

    Under row-level security PostgreSQL applies the tenant policy before any operator that is not
    leakproof, so without this the trigram index is never used: a conflict check over 1,000,000
    registrations took 0.4 s instead of 17 ms (bench/conflict_check.py). `similarity_op` returns a
    boolean computed from its two arguments and raises no data-dependent errors, which is what LEAKPROOF
    promises. It needs a superuser; on a managed server without one, matching still works, only slower.
    """
    for extension in SEARCH_EXTENSIONS:
        cursor.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension)))
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("ALTER FUNCTION similarity_op(text, text) LEAKPROOF")
    else:
        logger.warning("Not a superuser: pg_trgm's similarity operator stays non-leakproof (slower conflict checks).")


def grant_runtime_privileges(sender=None, using="owner", **kwargs) -> None:
    """After migrations: the app and platform roles may read and write rows, never change schema."""
    if using != "owner":
        return
    roles = configured_roles()
    app, platform = sql.Identifier(roles.app), sql.Identifier(roles.platform)
    with connections["owner"].cursor() as cursor:
        raw = cursor.cursor
        raw.execute(
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}, {}").format(
                app, platform
            )
        )
        raw.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}, {}").format(app, platform))
        raw.execute(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}, {}").format(app, platform))


def grant_truncate_for_tests() -> None:
    """Django's TransactionTestCase empties tables with TRUNCATE; allowed in the test database only."""
    roles = configured_roles()
    with connections["owner"].cursor() as cursor:
        cursor.cursor.execute(
            sql.SQL("GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {}").format(sql.Identifier(roles.app))
        )
