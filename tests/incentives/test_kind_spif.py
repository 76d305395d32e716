"""SPIF runs over real sale records, hand-computed: per unit, per deal, percent, the cap per rep across
periods, the channel manager's share and a late sale's true-up."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import LedgerEntry
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    DealFactory,
    MembershipFactory,
    PartnerFactory,
    ProductFactory,
    SaleRecordFactory,
    partner_member,
)

from .kinds_helpers import program_of, run, user_lines


def _setup(tenant):
    partner = PartnerFactory(program__tenant=tenant)
    rep = partner_member(partner, Role.PARTNER_REP).user
    other_rep = partner_member(partner, Role.PARTNER_REP).user
    named, unnamed = ProductFactory(tenant=tenant), ProductFactory(tenant=tenant)
    return partner, rep, other_rep, named, unnamed


@pytest.mark.django_db
def test_per_unit_goes_to_the_sale_rep_else_the_registering_rep(tenant_a):
    with tenant_context(tenant_a):
        partner, rep, other_rep, named, unnamed = _setup(tenant_a)
        deal = DealFactory(partner=partner, registered_by=other_rep, status="won")
        a = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=3, booked_on=date(2026, 2, 1))
        b = SaleRecordFactory(partner=partner, deal=deal, product=named, quantity=2, booked_on=date(2026, 3, 1))
        SaleRecordFactory(partner=partner, rep=rep, product=unnamed, quantity=9, booked_on=date(2026, 2, 1))
        SaleRecordFactory(partner=partner, product=named, quantity=5, booked_on=date(2026, 2, 2))  # no rep at all
        SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=1, booked_on=date(2026, 4, 1))  # Q2
        program = program_of("spif", {"basis": "per_unit", "amount": "50", "products": [named.pk]})

        run(program)

        # a: 3 x 50 = 150 to the sale's rep; b: 2 x 50 = 100 to the deal's registering rep.
        assert user_lines(program) == sorted(
            [
                (rep.pk, f"sale:{a.pk}", "earning", Decimal("150.00")),
                (other_rep.pk, f"sale:{b.pk}", "earning", Decimal("100.00")),
            ]
        )
        line = LedgerEntry.objects.get(program=program, source=f"sale:{a.pk}")
        assert line.explanation["basis"] == "per_unit"
        assert line.explanation["units"] == 3
        assert line.explanation["amount"] == "50"
        assert line.explanation["product"] == named.name
        assert line.explanation["capped"] is False


@pytest.mark.django_db
def test_per_deal_pays_once_per_deal_and_a_sale_without_deal_is_its_own(tenant_a):
    with tenant_context(tenant_a):
        partner, rep, _other, named, unnamed = _setup(tenant_a)
        deal = DealFactory(partner=partner, registered_by=rep, status="won")
        SaleRecordFactory(partner=partner, deal=deal, product=named, quantity=4, booked_on=date(2026, 1, 10))
        SaleRecordFactory(partner=partner, deal=deal, product=named, quantity=1, booked_on=date(2026, 1, 20))
        SaleRecordFactory(partner=partner, deal=deal, product=unnamed, booked_on=date(2026, 1, 5))
        lone = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=7, booked_on=date(2026, 2, 1))
        only_unnamed = DealFactory(partner=partner, registered_by=rep, status="won")
        SaleRecordFactory(partner=partner, deal=only_unnamed, product=unnamed, booked_on=date(2026, 2, 1))
        program = program_of("spif", {"basis": "per_deal", "amount": "250", "products": [named.pk]})

        run(program)

        # Two "deals": the deal (its two named sales pay once) and the lone sale; 250 each.
        assert user_lines(program) == sorted(
            [
                (rep.pk, f"deal:{deal.pk}", "earning", Decimal("250.00")),
                (rep.pk, f"sale:{lone.pk}", "earning", Decimal("250.00")),
            ]
        )


@pytest.mark.django_db
def test_percent_rounds_half_up_and_skips_other_currencies(tenant_a):
    with tenant_context(tenant_a):
        partner, rep, _other, named, _unnamed = _setup(tenant_a)
        sale = SaleRecordFactory(
            partner=partner, rep=rep, product=named, amount=Decimal("1234.50"), booked_on=date(2026, 3, 3)
        )
        SaleRecordFactory(partner=partner, rep=rep, product=named, currency="EUR", booked_on=date(2026, 3, 3))
        program = program_of("spif", {"basis": "percent", "rate": "5", "products": [named.pk]})

        run(program)

        # 5% of 1,234.50 = 61.725 -> 61.73 (half up); the EUR sale is not in the program's currency.
        assert user_lines(program) == [(rep.pk, f"sale:{sale.pk}", "earning", Decimal("61.73"))]


@pytest.mark.django_db
def test_cap_per_rep_runs_over_the_whole_window_across_periods(tenant_a):
    with tenant_context(tenant_a):
        partner, rep, other_rep, named, _unnamed = _setup(tenant_a)
        q1 = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=3, booked_on=date(2026, 3, 30))
        cross = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=2, booked_on=date(2026, 4, 2))
        after = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=1, booked_on=date(2026, 5, 2))
        other = SaleRecordFactory(partner=partner, rep=other_rep, product=named, quantity=2, booked_on=date(2026, 4, 2))
        program = program_of(
            "spif", {"basis": "per_unit", "amount": "50", "products": [named.pk], "cap_per_rep": "200"}
        )

        run(program, "2026-Q1")
        run(program, "2026-Q2")

        # rep: Q1 150 (running 150); Q2 100 crosses 200 -> cut to 50; then 50 more -> 0 (nothing posted).
        # other rep: 100, under the cap.
        assert user_lines(program) == sorted(
            [
                (rep.pk, f"sale:{q1.pk}", "earning", Decimal("150.00")),
                (rep.pk, f"sale:{cross.pk}", "earning", Decimal("50.00")),
                (other_rep.pk, f"sale:{other.pk}", "earning", Decimal("100.00")),
            ]
        )
        crossing = LedgerEntry.objects.get(program=program, source=f"sale:{cross.pk}")
        assert crossing.explanation["capped"] is True
        assert crossing.explanation["earned_before"] == "150.00"
        assert not LedgerEntry.objects.filter(source=f"sale:{after.pk}").exists()


@pytest.mark.django_db
def test_channel_manager_share_of_a_spif(tenant_a):
    with tenant_context(tenant_a):
        manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user
        partner, rep, _other, named, _unnamed = _setup(tenant_a)
        partner.channel_manager = manager
        partner.save(update_fields=["channel_manager"])
        sale = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=3, booked_on=date(2026, 2, 1))
        program = program_of(
            "spif",
            {"basis": "per_unit", "amount": "33.33", "products": [named.pk]},
            channel_manager_share_pct=Decimal("12.5"),
        )

        run(program)

        # 3 x 33.33 = 99.99 to the rep; the manager's 12.5% of 99.99 = 12.49875 -> 12.50.
        assert user_lines(program) == sorted(
            [
                (rep.pk, f"sale:{sale.pk}", "earning", Decimal("99.99")),
                (manager.pk, f"cam:sale:{sale.pk}", "earning", Decimal("12.50")),
            ]
        )


@pytest.mark.django_db
def test_a_late_sale_after_a_run_gives_a_true_up_under_the_cap(tenant_a):
    with tenant_context(tenant_a):
        partner, rep, _other, named, _unnamed = _setup(tenant_a)
        early = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=3, booked_on=date(2026, 2, 10))
        program = program_of(
            "spif", {"basis": "per_unit", "amount": "50", "products": [named.pk], "cap_per_rep": "200"}
        )
        run(program)
        assert user_lines(program) == [(rep.pk, f"sale:{early.pk}", "earning", Decimal("150.00"))]

        # Recorded late, booked before the first sale: it comes first in the running total.
        late = SaleRecordFactory(partner=partner, rep=rep, product=named, quantity=2, booked_on=date(2026, 2, 1))
        run(program)

        # late: 100 (running 100); early: 150 now cut to 100 -> a true-up of -50.
        assert user_lines(program) == sorted(
            [
                (rep.pk, f"sale:{early.pk}", "earning", Decimal("150.00")),
                (rep.pk, f"sale:{early.pk}", "true_up", Decimal("-50.00")),
                (rep.pk, f"sale:{late.pk}", "earning", Decimal("100.00")),
            ]
        )
        true_up = LedgerEntry.objects.get(program=program, entry_type="true_up")
        assert true_up.explanation["previously"] == "150.00"
        assert true_up.explanation["now"] == "100.00"
