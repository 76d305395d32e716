"""The deals demo data: catalog, house accounts, registrations in every status with real conflicts,
leads in every state and a year of sales per active partner."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from deals.models import Deal, DealConflict, HouseAccount, Lead, Product, SaleRecord
from partners.models import Partner
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant


def test_demo_deals_cover_every_status_conflicts_leads_and_a_year_of_sales(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    with tenant_context(Tenant.objects.get(slug="acme")):
        counts = (Deal.objects.count(), SaleRecord.objects.count(), Lead.objects.count())
    call_command("seed_demo", stdout=StringIO())
    with tenant_context(Tenant.objects.get(slug="acme")):
        assert (Deal.objects.count(), SaleRecord.objects.count(), Lead.objects.count()) == counts
        assert Product.objects.count() == 7 and HouseAccount.objects.count() == 5
        assert set(Deal.objects.values_list("status", flat=True)) == {
            "draft", "submitted", "approved", "won", "lost", "rejected", "expired",
        }  # fmt: skip
        assert Deal.objects.count() >= 200
        assert DealConflict.objects.filter(house_account__isnull=False).exists()
        assert DealConflict.objects.filter(other_deal__isnull=False).exists()
        assert set(Lead.objects.values_list("status", flat=True)) >= {"new", "assigned", "accepted", "converted"}
        assert Deal.objects.filter(source="vendor_lead").exists()
        months = (
            SaleRecord.objects.filter(source="import")
            .values("partner")
            .annotate(months=Count("booked_on__month", distinct=True))
        )
        active = Partner.objects.filter(status="active").count()
        assert len(months) == active and min(row["months"] for row in months) >= 11
        assert SaleRecord.objects.filter(source="deal").count() >= Deal.objects.filter(status="won").count()
