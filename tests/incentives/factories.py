"""Factories of the incentives app; a program's rows take their tenant from the program."""

import itertools
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


_PROGRAM_NUMBERS = itertools.count(1)


def incentive_program(tenant, *, params=None, status="active", **values):
    """A program through the service (validated params, version 1 from its first period), in `tenant`."""
    from incentives.services import incentive_program_create
    from prm.tenancy.context import current_state, tenant_context

    params = params if params is not None else {"bands": [{"from": "0", "rate": "0"}, {"from": "1000", "rate": "1"}]}
    defaults = {"kind": "rebate", "currency": "USD", "period_scheme": "quarter", "starts_on": date(2026, 1, 1)}
    values = {**defaults, **values}
    values.setdefault("name", f"Program {next(_PROGRAM_NUMBERS)}")
    if current_state().is_set:
        return incentive_program_create(actor=None, params=params, status=status, **values)
    with tenant_context(tenant):
        return incentive_program_create(actor=None, params=params, status=status, **values)


class LedgerEntryFactory(TenantOwnedFactory):
    """A posted line as a run would post it (an earning of the partner unless told otherwise)."""

    class Meta:
        model = "incentives.LedgerEntry"

    program = factory.SubFactory(IncentiveProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    period = "2026-Q1"
    recipient_partner = factory.SelfAttribute("partner")
    unit = "money"
    currency = "USD"
    amount = 100
    entry_type = "earning"
    source = "volume"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    occurred_on = date(2026, 3, 31)


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
