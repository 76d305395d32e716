"""The partners demo data: programs, ~25 partners per vendor with their people, pending applications."""

from io import StringIO

from django.core.management import call_command

from partners.models import (
    BusinessPlan,
    Partner,
    PartnerApplication,
    PartnerUser,
    Program,
    TierChange,
    TierEvaluationRun,
)
from prm.accounts.models import Membership
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from tests.conftest import portal_client


def test_demo_partners_cover_programs_statuses_and_people(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    acme, globex = Tenant.objects.get(slug="acme"), Tenant.objects.get(slug="globex")
    for tenant in (acme, globex):
        with tenant_context(tenant):
            assert 2 <= Program.objects.count() <= 3
            assert all(program.tiers.exists() and program.checklist.exists() for program in Program.objects.all())
            partners = Partner.objects.all()
            assert partners.count() == 25
            assert set(partners.values_list("status", flat=True)) == {
                "onboarding",
                "active",
                "suspended",
                "offboarded",
            }
            assert partners.values("program").distinct().count() >= 2
            assert partners.exclude(tier=None).values("tier__rank").distinct().count() >= 3
            for partner in partners:
                roles = set(PartnerUser.objects.filter(partner=partner).values_list("membership__role", flat=True))
                assert roles == {"partner_admin", "partner_rep"}, partner
            assert PartnerApplication.objects.filter(status__in=["submitted", "info_requested"]).count() >= 3
            assert PartnerApplication.objects.exclude(duplicate_of_partner=None).exists()
            assert BusinessPlan.objects.filter(goals__isnull=False, qbr_notes__isnull=False).distinct().count() == 3
            # One evaluation (the second seed_demo the same day is a no-op) moved some partners.
            assert TierEvaluationRun.objects.count() == 1
            assert TierChange.objects.exists()

    # One identity works with both vendors, as the same partner company's owner.
    with tenant_context(acme):
        assert Membership.objects.filter(user__email="owner@polder-data.example", role="partner_admin").exists()
    with tenant_context(globex):
        assert Membership.objects.filter(user__email="owner@polder-data.example", role="partner_admin").exists()
    client = portal_client(globex)
    response = client.post("/accounts/login/", {"login": "owner@polder-data.example", "password": "demo-pass-123"})
    assert response.status_code == 302
