"""Co-op accrual: each active partner earns a share of its own revenue of the period before the fund's."""

from django.db import transaction
from django.utils.translation import gettext as _

from deals.selectors import revenue_by_partner
from partners.models import Partner, PartnerStatus

from ..models import Allocation, Fund
from ..rules import coop_amount, previous_period
from .funds import _locked, allocations_add_all


@transaction.atomic
def allocations_coop(*, fund: Fund, actor=None) -> list[Allocation]:
    """Give each active partner the fund's `coop_accrual_pct` % of its net revenue in the fund's currency over
    the period of the same length just before the fund's (one grouped query over the sales). Partners that have
    their co-op allocation keep it (a rerun adds nothing); partners without positive revenue get none. All or
    nothing: if the new ones do not fit the budget, none is made (StateConflict)."""
    fund = _locked(fund)
    if not fund.coop_accrual_pct:
        return []
    first, last = previous_period(fund.scheme, fund.starts_on)
    have = Allocation.objects.filter(fund=fund, source=Allocation.Source.COOP).values("partner_id")
    partners = Partner.objects.filter(status=PartnerStatus.ACTIVE).exclude(pk__in=have)
    revenue = revenue_by_partner(partners, first=first, last=last, currency=fund.currency)
    note = _("%(pct)s%% of revenue from %(first)s to %(last)s") % {
        "pct": fund.coop_accrual_pct,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    amounts = {partner_id: coop_amount(revenue[partner_id], fund.coop_accrual_pct) for partner_id in sorted(revenue)}
    new = [
        Allocation(
            fund=fund, partner_id=partner_id, source=Allocation.Source.COOP, amount=amount, note=note, created_by=actor
        )
        for partner_id, amount in amounts.items()
        if amount > 0
    ]
    return allocations_add_all(
        fund=fund,
        allocations=new,
        actor=actor,
        action="mdf.allocations_coop",
        revenue=[first.isoformat(), last.isoformat()],
    )
