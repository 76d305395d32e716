"""Funds and allocations. The sum of a fund's allocations never passes its budget: every allocation write
locks the fund's row first, so concurrent writers take turns and the second sees the first's amount."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerStatus
from partners.services.tiers import tenant_today
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
    errors: dict[str, list[str]] = {}
    try:
        # Constraints are checked below in words a manager understands (and the tenant is not set yet).
        fund.full_clean(exclude=["tenant"], validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    if isinstance(fund.starts_on, date) and isinstance(fund.ends_on, date) and fund.ends_on < fund.starts_on:
        errors.setdefault("ends_on", []).append(_("The period cannot end before it starts."))
    if fund.name and Fund.objects.filter(name=fund.name).exists():
        errors.setdefault("name", []).append(_("A fund with this name exists already."))
    if errors:
        raise InvalidInput(_("The fund is not valid."), fields=errors)
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
    return allocations_add_all(fund=fund, allocations=new, actor=actor, action="mdf.allocations_by_tier")


def allocations_add_all(
    *, fund: Fund, allocations: list[Allocation], actor, action: str, **context
) -> list[Allocation]:
    """Make `allocations` of the (locked) fund in one insert, all or none: StateConflict when together they do
    not fit what the budget has left."""
    adding = sum((allocation.amount for allocation in allocations), Decimal(0))
    elsewhere = fund_allocated(fund)
    if not fits_budget(fund.budget, elsewhere, adding):
        raise _over_budget(fund, elsewhere, adding)
    created = Allocation.objects.bulk_create(allocations)
    if created:
        audit_record(
            action=action, actor=actor, obj=fund, context={"partners": len(created), "amount": str(adding), **context}
        )
    return created


@transaction.atomic
def fund_budget_move(*, actor, source: Fund, target: Fund, amount: Decimal, reason: str) -> tuple[Fund, Fund]:
    """Move budget `source` has not allocated (what expired unused has come back to it) into `target`, a fund
    of the same currency whose allocations have not expired: last quarter's unused MDF into this quarter's pool,
    where managers can allocate it again."""
    if source.pk == target.pk:
        raise InvalidInput(_("Choose another fund."), fields={"target": [_("Choose another fund.")]})
    if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        message = _("Move more than 0, in cents at most.")
        raise InvalidInput(message, fields={"amount": [message]})
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    locked = {
        fund.pk: fund for fund in Fund.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.currency != target.currency:
        message = _("Both funds must be in the same currency (%(source)s, %(target)s).") % {
            "source": source.currency,
            "target": target.currency,
        }
        raise InvalidInput(message, fields={"target": [message]})
    if target.expires_on <= tenant_today():
        message = _("The allocations of %(fund)s have expired; move the budget into a current fund.") % {
            "fund": target.name
        }
        raise InvalidInput(message, fields={"target": [message]})
    left = source.budget - fund_allocated(source)
    if amount > left:
        raise StateConflict(
            _("%(fund)s has %(left)s %(currency)s left to allocate; %(amount)s cannot be moved.")
            % {"fund": source.name, "left": left, "currency": source.currency, "amount": amount}
        )
    before = {"source": str(source.budget), "target": str(target.budget)}
    source.budget -= amount
    target.budget += amount
    source.save(update_fields=["budget"])
    target.save(update_fields=["budget"])
    context = {"amount": str(amount), "from_fund": source.pk, "to_fund": target.pk, "reason": reason.strip()}
    audit_record(
        action="mdf.fund_budget_move",
        actor=actor,
        obj=source,
        changes={"budget": [before["source"], str(source.budget)]},
        context=context,
    )
    audit_record(
        action="mdf.fund_budget_move",
        actor=actor,
        obj=target,
        changes={"budget": [before["target"], str(target.budget)]},
        context=context,
    )
    return source, target
