"""The set-based SQL of the kinds holds to the pure maths of `incentives.rules`: subscription months
(revenue share) and capped running totals (SPIF cap), over grids of cases in one query each."""

import json
import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from incentives.computation import RunContext, revenue_share, spif
from incentives.periods import parse_period
from incentives.rules import capped_running, subscription_months_in
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, ProductFactory, SaleRecordFactory, partner_member


def _context(tenant, partner, params, period_key, scheme="quarter"):
    return RunContext(
        tenant_id=tenant.pk,
        run_id=0,
        program_id=0,
        rule_version_id=0,
        rule_version=1,
        params=params,
        award_to="partner",
        unit="money",
        currency="USD",
        period=parse_period(period_key, scheme),
        window_starts_on=date(2026, 1, 1),
        window_ends_on=None,
        cutoff=timezone.now(),
        partner_ids=[partner.pk],
    )


def _rows(targets):
    sql, params = targets
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT source, amount, explanation FROM ({sql}) t", params)
        return [(source, amount, json.loads(explanation)) for source, amount, explanation in cursor.fetchall()]


BOOKED = [
    date(2026, 1, 1),
    date(2026, 1, 31),
    date(2026, 2, 15),
    date(2026, 3, 31),
    date(2026, 5, 10),
    date(2026, 12, 31),
]
TERMS = [None, 1, 2, 3, 12, 13]
PERIODS = [
    ("2026-Q1", "quarter"),
    ("2026-Q2", "quarter"),
    ("2027-Q1", "quarter"),
    ("2026-02", "month"),
    ("2026", "year"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("share_months", [None, 1, 4, 24])
def test_revenue_share_months_match_subscription_months_in(tenant_a, share_months):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        sales = {
            f"sale:{sale.pk}": sale
            for sale in (
                SaleRecordFactory(partner=partner, booked_on=booked, term_months=term, recurring_amount=Decimal("100"))
                for booked in BOOKED
                for term in TERMS
            )
        }
        params = {"rate": "1", "renewal_rate": None, "months": share_months}
        for key, scheme in PERIODS:
            ctx = _context(tenant_a, partner, params, key, scheme)
            got = {
                source: (amount, explanation["months"])
                for source, amount, explanation in _rows(revenue_share.targets(ctx))
            }
            expected = {}
            for source, sale in sales.items():
                months = subscription_months_in(
                    sale.booked_on, sale.term_months, share_months, ctx.first_day, ctx.last_day
                )
                if months:
                    expected[source] = (Decimal(months).quantize(Decimal("0.01")), months)  # 1% of 100 a month
            assert got == expected, (key, share_months)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_spif_cap_matches_capped_running(tenant_a, seed):
    rng = random.Random(seed)
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, Role.PARTNER_REP).user
        product = ProductFactory(tenant=tenant_a)
        sales = [
            SaleRecordFactory(
                partner=partner,
                rep=rep,
                product=product,
                quantity=rng.randint(1, 9),
                booked_on=date(2026, rng.randint(1, 6), rng.randint(1, 28)),
            )
            for _ in range(12)
        ]
        cap = Decimal(rng.randint(5, 60))
        params = {
            "basis": "per_unit",
            "amount": "1.25",
            "rate": None,
            "products": [product.pk],
            "cap_per_rep": str(cap),
        }
        ordered = sorted(sales, key=lambda s: (s.booked_on, s.pk))
        paid = dict(
            zip(
                (f"sale:{s.pk}" for s in ordered),
                capped_running([Decimal("1.25") * s.quantity for s in ordered], cap),
                strict=True,
            )
        )
        for key in ("2026-Q1", "2026-Q2"):
            ctx = _context(tenant_a, partner, params, key)
            got = {source: amount for source, amount, _explanation in _rows(spif.targets(ctx))}
            expected = {
                f"sale:{s.pk}": paid[f"sale:{s.pk}"] for s in ordered if ctx.first_day <= s.booked_on <= ctx.last_day
            }
            assert got == expected, (key, cap)
