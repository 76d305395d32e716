"""Migration operations for tenant-owned tables.

In the migration that creates a tenant-owned model, add one line per table::

    from prm.tenancy.operations import AppendOnly, EnableTenantRLS
    operations = [..., EnableTenantRLS("deal")]           # every tenant-owned table
    operations = [..., AppendOnly("ledgerentry")]         # audit trails and ledgers too
"""

from django.conf import settings
from django.db.migrations.operations.base import Operation

from .db import disable_rls_sql, enable_rls_sql


class TableOperation(Operation):
    """A database-only operation on the table of one model of this app (no state change)."""

    reversible = True
    reduces_to_sql = True
    fragment = ""

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def table(self, app_label, state, schema_editor) -> str:
        return schema_editor.quote_name(state.apps.get_model(app_label, self.model_name)._meta.db_table)

    @property
    def migration_name_fragment(self):
        return f"{self.fragment}_{self.model_name.lower()}"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})


class EnableTenantRLS(TableOperation):
    """ENABLE + FORCE row-level security with PRM's tenant and platform policies."""

    fragment = "rls"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self.table(app_label, to_state, schema_editor)
        for sql in enable_rls_sql(table, schema_editor.quote_name(settings.PRM_DB_PLATFORM_ROLE)):
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for sql in disable_rls_sql(self.table(app_label, from_state, schema_editor)):
            schema_editor.execute(sql)

    def describe(self):
        return f"Enable tenant row-level security on {self.model_name}"


APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION prm_forbid_update_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


class AppendOnly(TableOperation):
    """Refuse UPDATE and DELETE on a table, for every role; corrections are new rows."""

    fragment = "append_only"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self.table(app_label, to_state, schema_editor)
        schema_editor.execute(APPEND_ONLY_FUNCTION, params=None)
        schema_editor.execute(
            f"CREATE TRIGGER prm_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION prm_forbid_update_delete()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = self.table(app_label, from_state, schema_editor)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS prm_append_only ON {table}")

    def describe(self):
        return f"Make {self.model_name} append-only"
