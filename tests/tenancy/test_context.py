import pytest

from prm.accounts.models import Membership
from prm.tenancy.context import (
    TenantContextConflict,
    TenantContextMissing,
    all_tenants,
    current_state,
    current_tenant,
    tenant_context,
)
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def two_tenants_with_members(tenant_a, tenant_b):
    return MembershipFactory(tenant=tenant_a), MembershipFactory(tenant=tenant_b)


def test_manager_refuses_to_run_without_a_tenant(two_tenants_with_members):
    with pytest.raises(TenantContextMissing, match="Membership was queried without a tenant context"):
        list(Membership.objects.all())


def test_manager_shows_only_the_tenant_in_context(two_tenants_with_members, tenant_a, tenant_b):
    a_member, b_member = two_tenants_with_members
    with tenant_context(tenant_a):
        assert list(Membership.objects.all()) == [a_member]
        assert not Membership.objects.filter(pk=b_member.pk).exists()
    with tenant_context(tenant_b):
        assert list(Membership.objects.all()) == [b_member]


def test_all_tenants_is_the_loud_escape_hatch(two_tenants_with_members):
    with all_tenants():
        assert set(Membership.objects.all()) == set(two_tenants_with_members)


def test_new_rows_get_the_tenant_in_context(tenant_a):
    user = UserFactory()
    with tenant_context(tenant_a):
        membership = Membership.objects.create(user=user, role="vendor_staff")
        (bulk,) = Membership.objects.bulk_create([Membership(user=UserFactory(), role="vendor_staff")])
    assert membership.tenant_id == tenant_a.pk
    assert bulk.tenant_id == tenant_a.pk


def test_saving_without_a_tenant_fails_loudly(tenant_a):
    with pytest.raises(TenantContextMissing):
        Membership(user=UserFactory(), role="vendor_staff").save()
    with pytest.raises(TenantContextMissing):
        Membership(tenant=tenant_a, user=UserFactory(), role="vendor_staff").save()


def test_a_row_of_another_tenant_cannot_be_saved_in_context(tenant_a, tenant_b):
    with tenant_context(tenant_a), pytest.raises(TenantContextConflict):
        Membership.objects.create(tenant=tenant_b, user=UserFactory(), role="vendor_staff")


def test_contexts_do_not_nest_but_re_enter(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        with tenant_context(tenant_a):
            assert current_tenant() == tenant_a
        assert current_tenant() == tenant_a  # the inner exit did not reset
        with pytest.raises(TenantContextConflict), tenant_context(tenant_b):
            pass
        with pytest.raises(TenantContextConflict), all_tenants():
            pass
    assert not current_state().is_set


def test_context_is_reset_after_an_exception(tenant_a):
    with pytest.raises(RuntimeError), tenant_context(tenant_a):
        raise RuntimeError("boom")
    assert not current_state().is_set
    with pytest.raises(TenantContextMissing):
        current_tenant()


def test_tenant_context_needs_a_saved_tenant():
    from prm.tenancy.models import Tenant

    with pytest.raises(TenantContextMissing):
        tenant_context(Tenant(slug="unsaved"))
