"""Recurring revenue share runs, hand-computed: a subscription's months across two quarters, the
months limit, the renewal rate, billing periods and what never counts."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import LedgerEntry
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, ProductFactory, SaleRecordFactory

from .kinds_helpers import partner_lines, program_of, run


@pytest.mark.django_db
def test_revenue_share_over_a_subscriptions_months_across_two_quarters(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        quarterly = ProductFactory(tenant=tenant_a, billing="recurring", billing_period="quarter")
        monthly = ProductFactory(tenant=tenant_a, billing="recurring", billing_period="month")
        one_time = ProductFactory(tenant=tenant_a)

        def sale(**values):
            return SaleRecordFactory(partner=partner, term_months=12, **values)

        new = sale(product=quarterly, kind="new", booked_on=date(2026, 2, 15), recurring_amount=Decimal("3000"))
        renewal = sale(product=monthly, kind="renewal", booked_on=date(2026, 3, 1), recurring_amount=Decimal("333.33"))
        short = sale(product=None, kind="expansion", booked_on=date(2026, 1, 20), recurring_amount=Decimal("100"))
        short.term_months = 2
        short.save(update_fields=["term_months"])
        setup = sale(product=one_time, kind="expansion", booked_on=date(2026, 1, 5), recurring_amount=Decimal("50"))
        sale(product=quarterly, kind="one_time", booked_on=date(2026, 1, 5), recurring_amount=Decimal("999"))
        sale(product=quarterly, kind="new", booked_on=date(2025, 12, 1), recurring_amount=Decimal("999"))  # pre-program
        sale(product=quarterly, kind="new", booked_on=date(2026, 2, 1), recurring_amount=Decimal("999"), currency="EUR")
        program = program_of("revenue_share", {"rate": "10", "renewal_rate": "5", "months": 4})

        run(program, "2026-Q1")
        run(program, "2026-Q2")

        # new: 3,000 a quarter = 1,000 a month; shared months Feb..May (4). Q1 Feb+Mar: 10% x 1,000 x 2 = 200;
        #   Q2 Apr+May = 200 (June is past the 4 months).
        # renewal at 5%: 333.33 a month from March. Q1: 1 month = 16.6665 -> 16.67; Q2: 3 months = 49.9995 -> 50.00.
        # short (no product: the amount is monthly), 2-month term Jan+Feb: Q1 10% x 100 x 2 = 20; Q2 nothing.
        # setup (one-time product: monthly as given) 50 for 4 months Jan..Apr: Q1 3 x 5 = 15; Q2 1 x 5 = 5.
        # one_time kind, the sale booked before the program and the EUR sale never count.
        assert partner_lines(program, "2026-Q1") == sorted(
            [
                (partner.pk, f"sale:{new.pk}", "earning", Decimal("200.00")),
                (partner.pk, f"sale:{renewal.pk}", "earning", Decimal("16.67")),
                (partner.pk, f"sale:{short.pk}", "earning", Decimal("20.00")),
                (partner.pk, f"sale:{setup.pk}", "earning", Decimal("15.00")),
            ]
        )
        assert partner_lines(program, "2026-Q2") == sorted(
            [
                (partner.pk, f"sale:{new.pk}", "earning", Decimal("200.00")),
                (partner.pk, f"sale:{renewal.pk}", "earning", Decimal("50.00")),
                (partner.pk, f"sale:{setup.pk}", "earning", Decimal("5.00")),
            ]
        )
        line = LedgerEntry.objects.get(program=program, period="2026-Q2", source=f"sale:{new.pk}")
        assert line.explanation["monthly"] == "1000.00"
        assert line.explanation["months"] == 2
        assert line.explanation["rate"] == "10"
        assert (line.explanation["first_month"], line.explanation["last_month"]) == ("2026-04", "2026-05")


@pytest.mark.django_db
def test_renewals_at_the_main_rate_without_a_renewal_rate_and_for_life_without_months(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        yearly = ProductFactory(tenant=tenant_a, billing="recurring", billing_period="year")
        renewal = SaleRecordFactory(
            partner=partner,
            product=yearly,
            kind="renewal",
            booked_on=date(2026, 1, 31),
            term_months=None,
            recurring_amount=Decimal("1200"),
        )
        program = program_of("revenue_share", {"rate": "7.5"})

        run(program, "2026-Q3")

        # 1,200 a year = 100 a month, ongoing, for life: Q3 has 3 months at 7.5% = 22.50.
        assert partner_lines(program) == [(partner.pk, f"sale:{renewal.pk}", "earning", Decimal("22.50"))]
