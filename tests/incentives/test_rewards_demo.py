"""The rewards demo data: a catalog, points and redemptions in every state, seeded once per demo tenant."""

from io import StringIO

from django.core.management import call_command

from incentives.models import LedgerEntry, Redemption, Reward
from incentives.selectors import points_balance
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant


def test_demo_rewards_catalog_points_and_redemptions_in_every_state(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
        counts = (Reward.objects.count(), Redemption.objects.count(), LedgerEntry.objects.filter(unit="points").count())
    call_command("seed_demo", stdout=StringIO())
    with tenant_context(acme):
        assert (
            Reward.objects.count(),
            Redemption.objects.count(),
            LedgerEntry.objects.filter(unit="points").count(),
        ) == counts
        assert set(Reward.objects.values_list("kind", flat=True)) == {
            "gift_card", "event_ticket", "training_voucher", "swag",
        }  # fmt: skip
        assert Reward.objects.exclude(eligible_tier_ids=[]).exists()
        assert set(Redemption.objects.values_list("status", flat=True)) == {"requested", "fulfilled", "refused"}
        refused = Redemption.objects.filter(status="refused")
        assert LedgerEntry.objects.filter(entry_type="refund").count() == refused.count()
        for redemption in Redemption.objects.select_related("user"):
            assert points_balance(user=redemption.user, today=redemption.requested_at.date()).available >= 0
            assert redemption.points_age_days is not None
