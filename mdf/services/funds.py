"""Funds and allocations. The sum of a fund's allocations never passes its budget: every allocation write
locks the fund's row first, so concurrent writers take turns and the second sees the first's amount."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerStatus
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict

from ..models import Allocation, Fund
from ..rules import fits_budget, tier_allocation

FUND_FIELDS = (
    "name", "scheme", "starts_on", "ends_on", "budget", "currency", "expiry_days_after_end", "claim_window_days",
    "review_sla_business_days",
    "allocate_by_tier", "coop_accrual_pct",
)  # fmt: skip


@transaction.atomic
def fund_create(*, actor, **values) -> Fund:
    fund = Fund(**{key: value for key, value in values.items() if key in FUND_FIELDS})
    try:
        fund.full_clean(exclude=["tenant"])
    except ValidationError as error:
        raise InvalidInput(_("The fund is not valid."), fields=error.message_dict) from error
    # full_clean() skips the (tenant, name) constraint: the tenant is not set on the instance yet.
    if Fund.objects.filter(name=fund.name).exists():
        message = _("A fund of this name exists already.")
        raise InvalidInput(message, fields={"name": [message]})
    fund.save()
    audit_record(action="mdf.fund_create", actor=actor, obj=fund, context={"budget": str(fund.budget)})
    return fund


def fund_allocated(fund: Fund, *, exclude: Allocation | None = None) -> Decimal:
    """What the fund has given out: every allocation's amount less what expired back into the fund."""
    allocations = Allocation.objects.filter(fund=fund)
    if exclude is not None:
        allocations = allocations.exclude(pk=exclude.pk)
    total = allocations.aggregate(total=Sum(F("amount") - F("expired_amount")))["total"]
    return total or Decimal(0)


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _over_budget(fund: Fund, elsewhere: Decimal, amount: Decimal) -> StateConflict:
    return StateConflict(
        _("The fund has %(left)s %(currency)s left to allocate (%(budget)s budget); %(amount)s does not fit.")
        % {"left": fund.budget - elsewhere, "currency": fund.currency, "budget": fund.budget, "amount": amount}
    )


@transaction.atomic
def allocation_set(
    *, actor, fund: Fund, partner: Partner, amount: Decimal, source: str = Allocation.Source.MANUAL, note: str = ""
) -> Allocation:
    """Give `partner` `amount` of the fund by `source` (replacing that route's earlier amount)."""
    if amount < 0:
        raise InvalidInput(_("An allocation cannot be negative."), fields={"amount": [_("Must be 0 or more.")]})
    fund = _locked(fund)
    allocation = Allocation.objects.filter(fund=fund, partner=partner, source=source).first()
    elsewhere = fund_allocated(fund, exclude=allocation)
    expired = allocation.expired_amount if allocation else Decimal(0)
    if not fits_budget(fund.budget, elsewhere, amount - expired):
        raise _over_budget(fund, elsewhere, amount)
    before = allocation.amount if allocation else None
    if allocation is None:
        allocation = Allocation.objects.create(
            fund=fund, partner=partner, source=source, amount=amount, note=note, created_by=actor
        )
    else:
        if amount < expired:
            raise InvalidInput(
                _("%(expired)s of this allocation has expired already; it cannot go below that.")
                % {"expired": expired},
                fields={"amount": [_("Too low.")]},
            )
        allocation.amount, allocation.note = amount, note or allocation.note
        allocation.save(update_fields=["amount", "note", "updated_at"])
    audit_record(
        action="mdf.allocation_set",
        actor=actor,
        obj=allocation,
        changes={"amount": [None if before is None else str(before), str(amount)]},
        context={"fund": fund.pk, "partner": partner.pk, "source": source},
    )
    return allocation


@transaction.atomic
def allocations_by_tier(*, fund: Fund, actor=None) -> list[Allocation]:
    """The period-start allocations from each active partner's tier benefit; partners that have theirs keep it
    (a rerun adds nothing). All or nothing: if the new ones do not fit the budget, none is made."""
    fund = _locked(fund)
    if not fund.allocate_by_tier:
        return []
    have = set(Allocation.objects.filter(fund=fund, source=Allocation.Source.TIER).values_list("partner_id", flat=True))
    partners = (
        Partner.objects.filter(status=PartnerStatus.ACTIVE, tier__mdf_allocation_per_quarter__gt=0)
        .exclude(pk__in=have)
        .select_related("tier")
        .order_by("pk")
    )
    new = [
        Allocation(
            fund=fund,
            partner=partner,
            source=Allocation.Source.TIER,
            amount=tier_allocation(partner.tier.mdf_allocation_per_quarter, fund.scheme),
            note=_("%(tier)s tier benefit") % {"tier": partner.tier.name},
            created_by=actor,
        )
        for partner in partners
    ]
    adding = sum((allocation.amount for allocation in new), Decimal(0))
    elsewhere = fund_allocated(fund)
    if not fits_budget(fund.budget, elsewhere, adding):
        raise _over_budget(fund, elsewhere, adding)
    created = Allocation.objects.bulk_create(new)
    if created:
        audit_record(
            action="mdf.allocations_by_tier",
            actor=actor,
            obj=fund,
            context={"partners": len(created), "amount": str(adding)},
        )
    return created
