import pytest
from django.db import DatabaseError, connection, transaction

from prm.audit.models import AuditEvent
from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory


def test_snapshot_and_diff_are_json_safe_and_minimal(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    before = audit_snapshot(membership, ("role", "is_active", "created_at", "user"))
    membership.role = "vendor_staff"
    after = audit_snapshot(membership, ("role", "is_active", "created_at", "user"))
    assert isinstance(before["created_at"], str) and before["user"] == membership.user.email
    assert audit_diff(before, after) == {"role": [before["role"], "vendor_staff"]}


def test_record_names_actor_object_and_tenant(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    with tenant_context(tenant_a):
        event = audit_record(action="membership.test", actor=membership.user, obj=membership, context={"why": "test"})
    assert (event.tenant_id, event.actor_label, event.object_id) == (
        tenant_a.pk,
        membership.user.email,
        str(membership.pk),
    )
    assert event.content_type.model == "membership" and event.context == {"why": "test"}


def test_system_actions_are_recorded_as_system(tenant_a):
    with tenant_context(tenant_a):
        assert audit_record(action="nightly.job").actor_label == "system"


@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET action = 'forged'", "DELETE FROM audit_auditevent"])
def test_the_trail_is_append_only_in_the_database(tenant_a, statement):
    with tenant_context(tenant_a):
        audit_record(action="membership.test")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
        assert AuditEvent.objects.get().action == "membership.test"
