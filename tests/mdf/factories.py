"""Factories of the MDF app: rows as stored (use the services for the checks and the audit trail).

`mdf_world(tenant)` builds what most MDF tests need: a tier paying back 50 %, a partner with an admin user,
a fund of 10,000 USD with 3,000 allocated to the partner, and activity types (events need photos and an
attendee list; every type needs an invoice)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import (
    PartnerFactory,
    TenantFactory,
    TenantOwnedFactory,
    TierFactory,
    partner_member,
)


def _quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    starts = day.replace(month=first_month, day=1)
    next_quarter = (starts + datetime.timedelta(days=93)).replace(day=1)
    return starts, next_quarter - datetime.timedelta(days=1)


class FundFactory(TenantOwnedFactory):
    class Meta:
        model = "mdf.Fund"

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"MDF fund {n}")
    scheme = "quarter"
    # The current quarter, so requests against it are never refused as expired.
    starts_on = factory.LazyFunction(lambda: _quarter_of(datetime.date.today())[0])
    ends_on = factory.LazyFunction(lambda: _quarter_of(datetime.date.today())[1])
    budget = Decimal("10000.00")
    currency = "USD"


class AllocationFactory(TenantOwnedFactory):
    class Meta:
        model = "mdf.Allocation"

    fund = factory.SubFactory(FundFactory)
    tenant = factory.SelfAttribute("fund.tenant")
    partner = factory.LazyAttribute(lambda o: PartnerFactory(tenant=o.tenant, program__tenant=o.tenant))
    source = "manual"
    amount = Decimal("3000.00")


class ActivityTypeFactory(TenantOwnedFactory):
    class Meta:
        model = "mdf.ActivityType"

    tenant = factory.SubFactory(TenantFactory)
    key = factory.Sequence(lambda n: f"activity-{n}")
    name = factory.Sequence(lambda n: f"Activity {n}")
    required_proof = factory.LazyFunction(lambda: ["invoice"])


class MdfRequestFactory(TenantOwnedFactory):
    """An approved request by default (as if submitted and approved in full)."""

    class Meta:
        model = "mdf.MdfRequest"

    allocation = factory.SubFactory(AllocationFactory)
    tenant = factory.SelfAttribute("allocation.tenant")
    partner = factory.SelfAttribute("allocation.partner")
    activity_type = factory.SubFactory(ActivityTypeFactory, tenant=factory.SelfAttribute("..tenant"))
    title = factory.Sequence(lambda n: f"Campaign {n}")
    description = "A marketing activity."
    # Ended two weeks ago: inside the default 60-day claim window.
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=20))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=14))
    planned_cost = Decimal("2000.00")
    requested_amount = Decimal("1000.00")
    approved_amount = Decimal("1000.00")
    expected_leads = 20
    campaign_code = factory.Sequence(lambda n: f"CMP-{n:04d}")
    status = "approved"
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    decided_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=29))


class MdfClaimFactory(TenantOwnedFactory):
    """A draft claim of an approved request, due 60 days after the activity."""

    class Meta:
        model = "mdf.MdfClaim"

    request = factory.SubFactory(MdfRequestFactory)
    tenant = factory.SelfAttribute("request.tenant")
    allocation = factory.SelfAttribute("request.allocation")
    partner = factory.SelfAttribute("request.partner")
    actual_cost = Decimal("2000.00")
    amount = Decimal("1000.00")
    status = "draft"
    due_on = factory.LazyAttribute(lambda o: o.request.ends_on + datetime.timedelta(days=60))


@dataclass
class MdfWorld:
    tenant: object
    tier: object
    partner: object
    admin: object  # the partner admin's Membership
    fund: object
    allocation: object
    webinar: object  # requires an invoice
    event: object  # requires an invoice, photos and an attendee list


# For tests that pin a fund to known dates (expiry on 29 November 2026, the quarter before is Q2 …).
Q3_2026 = {"starts_on": datetime.date(2026, 7, 1), "ends_on": datetime.date(2026, 9, 30)}


def mdf_world(tenant, *, budget="10000.00", allocated="3000.00", reimbursement_pct="50", **fund_values) -> MdfWorld:
    tier = TierFactory(program__tenant=tenant, mdf_reimbursement_cap_pct=Decimal(reimbursement_pct))
    partner = PartnerFactory(tenant=tenant, program=tier.program, tier=tier)
    fund = FundFactory(tenant=tenant, budget=Decimal(budget), **fund_values)
    return MdfWorld(
        tenant=tenant,
        tier=tier,
        partner=partner,
        admin=partner_member(partner),
        fund=fund,
        allocation=AllocationFactory(tenant=tenant, fund=fund, partner=partner, amount=Decimal(allocated)),
        webinar=ActivityTypeFactory(tenant=tenant, key="webinar", name="Webinar", required_proof=["invoice"]),
        event=ActivityTypeFactory(
            tenant=tenant, key="event", name="Event / booth", required_proof=["invoice", "photo", "attendees"]
        ),
    )
