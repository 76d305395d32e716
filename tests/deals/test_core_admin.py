"""Deals in the tenant admin: read-only rows with conflict evidence, filters, bulk approve/reject through
the services with per-deal failures reported; rules of engagement per program."""

import datetime

import pytest
from django.utils import timezone

from deals.models import Deal, DealRules
from deals.services import deal_submit
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import DealFactory, HouseAccountFactory, MembershipFactory, ProgramFactory
from .core_support import core_world, register

CHANGELIST = "/admin/deals/deal/"
RULES = "/admin/deals/dealrules/"


@pytest.fixture
def world(tenant_a):
    return core_world(tenant_a)


def statuses(tenant, deals) -> list[str]:
    with tenant_context(tenant):
        return [Deal.objects.get(pk=deal.pk).status for deal in deals]


def test_changelist_filters_overdue_and_conflicted_registrations(world, tenant_a):
    overdue = DealFactory(partner=world.partner, customer_name="Overdue Ltd", review_due_at=timezone.now())
    DealFactory(partner=world.partner, customer_name="Fresh Ltd", review_due_at=timezone.now() + datetime.timedelta(1))
    HouseAccountFactory(tenant=tenant_a, company_name="Globodyne", domain="")
    with tenant_context(tenant_a):
        deal_submit(deal=register(world), actor=world.rep.user)
    client = portal_client(tenant_a, world.staff.user)
    page = client.get(f"{CHANGELIST}?overdue=yes").content.decode()
    assert overdue.customer_name in page and "Fresh Ltd" not in page
    page = client.get(f"{CHANGELIST}?conflicts=yes").content.decode()
    assert "Globodyne Corp." in page and "Overdue Ltd" not in page
    assert "Globodyne Corp." in client.get(f"{CHANGELIST}?q=globodyne.example").content.decode()


def test_the_change_page_is_read_only_with_conflict_evidence(world, tenant_a):
    rival = DealFactory(partner=world.other, customer_name="Globodyne Group", customer_domain="globodyne.example")
    with tenant_context(tenant_a):
        deal = deal_submit(
            deal=register(world, lines=[{"product": world.product, "quantity": 2}]), actor=world.rep.user
        )
    page = portal_client(tenant_a, world.manager.user).get(f"{CHANGELIST}{deal.pk}/change/").content.decode()
    assert f"Rival Systems: {rival.customer_name} (globodyne.example), Submitted" in page
    assert "Same customer domain" in page and world.product.name in page
    assert 'name="_save"' not in page


def test_bulk_approve_reports_each_refusal(world, tenant_a, celery_eager, django_capture_on_commit_callbacks):
    submitted = [DealFactory(partner=world.partner, registered_by=world.rep.user) for _ in range(2)]
    draft = DealFactory(partner=world.partner, status="draft", customer_name="Drafty Inc")
    client = portal_client(tenant_a, world.manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "approve", "_selected_action": [d.pk for d in [*submitted, draft]]}, follow=True
        )
    page = response.content.decode()
    assert "2 registrations approved." in page
    assert "Drafty Inc (Nimbus IT): A registration that is draft cannot be approved." in page
    assert statuses(tenant_a, [*submitted, draft]) == ["approved", "approved", "draft"]


def test_bulk_reject_asks_for_the_reason_first(world, tenant_a):
    deals = [DealFactory(partner=world.partner) for _ in range(2)]
    client = portal_client(tenant_a, world.manager.user)
    selected = {"action": "reject", "_selected_action": [d.pk for d in deals]}
    page = client.post(CHANGELIST, selected).content.decode()
    assert "Reason (shown to the partner)" in page
    assert statuses(tenant_a, deals) == ["submitted", "submitted"]
    client.post(CHANGELIST, {**selected, "apply": "1", "text": ""})
    assert statuses(tenant_a, deals) == ["submitted", "submitted"]
    response = client.post(CHANGELIST, {**selected, "apply": "1", "text": "Direct account."}, follow=True)
    assert "2 registrations rejected." in response.content.decode()
    assert statuses(tenant_a, deals) == ["rejected", "rejected"]


def test_vendor_staff_read_but_cannot_decide(world, tenant_a):
    deal = DealFactory(partner=world.partner)
    client = portal_client(tenant_a, world.staff.user)
    assert 'value="approve"' not in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [deal.pk]})
    assert statuses(tenant_a, [deal]) == ["submitted"]
    partner_client = portal_client(tenant_a, world.admin.user)
    assert partner_client.get(CHANGELIST).status_code in (302, 403)


def test_rules_admin_shows_defaults_and_keeps_one_row_per_program(world, tenant_a):
    newcomer = ProgramFactory(tenant=tenant_a, name="Referral partners")
    admin = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user)
    page = admin.get(RULES).content.decode()
    assert "Programs without their own rules use the defaults: 90 days of protection" in page
    assert "Referral partners" in page
    add_page = admin.get(f"{RULES}add/").content.decode()
    assert f'<option value="{newcomer.pk}">' in add_page and f'<option value="{world.program.pk}">' not in add_page
    values = {
        "program": newcomer.pk,
        "protection_days": "60",
        "review_sla_business_days": "0",
        "max_extensions": "2",
        "extension_days": "30",
        "registration_discount_pct": "7.5",
        "conflict_policy": "first_approved_wins",
    }
    assert "Must be at least 1." in admin.post(f"{RULES}add/", values).content.decode()
    admin.post(f"{RULES}add/", {**values, "review_sla_business_days": "3"})
    with tenant_context(tenant_a):
        rules = DealRules.objects.get(program=newcomer)
        assert (rules.protection_days, rules.review_sla_business_days, rules.conflict_policy) == (
            60,
            3,
            "first_approved_wins",
        )
        assert AuditEvent.objects.filter(action="deal_rules.create").exists()
    manager = portal_client(tenant_a, world.manager.user)
    assert manager.get(RULES).status_code == 200
    assert manager.get(f"{RULES}add/").status_code == 403
