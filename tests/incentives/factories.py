"""Factories of the incentives app; a program's rows take their tenant from the program."""

from datetime import date

import factory

from tests.factories import TenantFactory, TenantOwnedFactory


class IncentiveProgramFactory(TenantOwnedFactory):
    class Meta:
        model = "incentives.IncentiveProgram"

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Incentive {n}")
    slug = factory.Sequence(lambda n: f"incentive-{n}")
    kind = "rebate"
    status = "active"
    award_to = "partner"
    unit = "money"
    currency = "USD"
    period_scheme = "quarter"
    starts_on = date(2026, 1, 1)


class RuleVersionFactory(TenantOwnedFactory):
    class Meta:
        model = "incentives.RuleVersion"

    program = factory.SubFactory(IncentiveProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    version = 1
    effective_from = factory.SelfAttribute("program.starts_on")
    params = factory.LazyFunction(dict)


# --- points and rewards ---------------------------------------------------------------------------------------
class RewardFactory(TenantOwnedFactory):
    class Meta:
        model = "incentives.Reward"

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Reward {n}")
    kind = "gift_card"
    points_cost = 100


def points_line(*, amount, occurred_on, user=None, partner=None, entry_type="earning", key=None, for_partner=None):
    """A points line for `user` (a rep of `for_partner`) or for the company `partner`, posted in the tenant in
    context (the way a points run or an adjustment would)."""
    from incentives.models import LedgerEntry

    recipient = f"u{user.pk}" if user is not None else f"p{partner.pk}"
    return LedgerEntry.objects.create(
        partner=partner or for_partner,
        recipient_user=user,
        recipient_partner=partner,
        unit="points",
        currency="",
        amount=amount,
        entry_type=entry_type,
        source="test",
        idempotency_key=key or f"test:{recipient}:{entry_type}:{occurred_on}:{amount}",
        occurred_on=occurred_on,
    )
