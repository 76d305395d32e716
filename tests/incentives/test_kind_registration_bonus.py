"""Registration bonus runs, hand-computed: won inside vs outside the protection window, flat vs
percent, to the partner or to the registering rep, in the period of the closing day."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, PartnerFactory, partner_member

from .kinds_helpers import partner_lines, program_of, run, user_lines


def _won(partner, closed_at, protected_until, amount="10000.00", **values):
    return DealFactory(
        partner=partner,
        status=values.pop("status", "won"),
        closed_at=closed_at,
        closed_amount=Decimal(amount),
        protected_until=protected_until,
        **values,
    )


@pytest.mark.django_db
def test_flat_bonus_only_for_deals_won_inside_their_window(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        inside = _won(partner, datetime(2026, 2, 10, 9, tzinfo=UTC), date(2026, 3, 1))
        last_day = _won(partner, datetime(2026, 3, 1, 23, 30, tzinfo=UTC), date(2026, 3, 1))
        _won(partner, datetime(2026, 3, 2, 0, 5, tzinfo=UTC), date(2026, 3, 1))  # a day late
        _won(partner, datetime(2026, 2, 10, tzinfo=UTC), date(2026, 3, 1), status="approved")  # not won
        _won(partner, datetime(2026, 2, 10, tzinfo=UTC), date(2026, 3, 1), currency="EUR")  # other currency
        next_quarter = _won(partner, datetime(2026, 4, 2, tzinfo=UTC), date(2026, 5, 1))
        program = program_of("registration_bonus", {"basis": "flat", "amount": "500"})

        run(program, "2026-Q1")
        run(program, "2026-Q2")

        assert partner_lines(program, "2026-Q1") == sorted(
            [
                (partner.pk, f"deal:{inside.pk}", "earning", Decimal("500.00")),
                (partner.pk, f"deal:{last_day.pk}", "earning", Decimal("500.00")),
            ]
        )
        assert partner_lines(program, "2026-Q2") == [
            (partner.pk, f"deal:{next_quarter.pk}", "earning", Decimal("500.00"))
        ]


@pytest.mark.django_db
def test_percent_bonus_to_the_registering_rep(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, Role.PARTNER_REP).user
        deal = _won(partner, datetime(2026, 1, 15, tzinfo=UTC), date(2026, 4, 1), "12345.67", registered_by=rep)
        _won(partner, datetime(2026, 1, 15, tzinfo=UTC), date(2026, 4, 1))  # nobody registered it: no rep to pay
        program = program_of("registration_bonus", {"basis": "percent", "rate": "2.5"}, award_to="rep")

        run(program)

        # 2.5% of 12,345.67 = 308.64175 -> 308.64.
        assert user_lines(program) == [(rep.pk, f"deal:{deal.pk}", "earning", Decimal("308.64"))]
        assert partner_lines(program) == []
