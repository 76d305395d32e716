"""A hand-computed MDF ROI case (tests/mdf/test_roi.py and test_roi_api.py assert every figure of it).

Two partners (Alpha, Beta), two USD funds (2026-Q3, 2026-Q4), two activity types (webinar, event) and five
campaigns (approved requests):

| campaign | partner | type    | starts     | claim                         | leads | deals from the leads             |
|----------|---------|---------|------------|-------------------------------|-------|----------------------------------|
| C1       | Alpha   | webinar | 2026-07-10 | approved 1000.00 (cost 2400)  | 4     | won 10000, won 2345, lost, draft |
| C3       | Beta    | webinar | 2026-08-20 | partially 800.00 (cost 1800)  | 3     | submitted, won 5000, approved    |
| C4       | Beta    | event   | 2026-09-10 | rejected (asks 700, cost 1400)| 2     | won 2500, none                   |
| C2       | Alpha   | event   | 2026-10-05 | paid 1500.00 (cost 3000)      | 3     | won 9000, won 4000 EUR, none     |
| C5       | Alpha   | webinar | 2026-10-20 | draft                         | 0     |                                  |

Not campaigns (must not count): a rejected and a draft request of Alpha, each with a lead and a won deal; a won
deal of Alpha from no lead; a won deal from a lead of no campaign.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from mdf.models import CampaignLead
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, LeadFactory, PartnerFactory, ProgramFactory, partner_member
from tests.mdf.factories import (
    ActivityTypeFactory,
    AllocationFactory,
    FundFactory,
    MdfClaimFactory,
    MdfRequestFactory,
)


@dataclass
class RoiWorld:
    tenant: object
    alpha: object
    beta: object
    alpha_admin: object  # Membership of a partner admin at Alpha
    q3: object  # funds
    q4: object
    webinar: object
    event: object
    campaigns: dict  # "C1" … "C5" → MdfRequest


def campaign_lead(request, *deals):
    """A lead of `request`'s campaign and the registrations made from it: (status, closed amount[, currency])."""
    lead = LeadFactory(tenant=request.tenant)
    CampaignLead.objects.create(tenant=request.tenant, request=request, lead=lead)
    for status, amount, *currency in deals:
        DealFactory(
            partner=request.partner,
            lead=lead,
            status=status,
            closed_amount=None if amount is None else Decimal(amount),
            currency=currency[0] if currency else "USD",
        )
    return lead


def campaign(code, allocation, activity_type, starts_on, *, status="approved", claim=None):
    request = MdfRequestFactory(
        allocation=allocation,
        activity_type=activity_type,
        campaign_code=code,
        title=f"Campaign {code}",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=2),
        status=status,
    )
    if claim is not None:
        claim_status, amount, approved, cost = claim
        MdfClaimFactory(
            request=request,
            status=claim_status,
            amount=Decimal(amount),
            approved_amount=None if approved is None else Decimal(approved),
            actual_cost=Decimal(cost),
        )
    return request


def roi_world(tenant) -> RoiWorld:
    with tenant_context(tenant):
        program = ProgramFactory(tenant=tenant)
        alpha = PartnerFactory(program=program, name="Alpha Partner")
        beta = PartnerFactory(program=program, name="Beta Partner")
        q3 = FundFactory(tenant=tenant, name="MDF 2026-Q3")
        q4 = FundFactory(
            tenant=tenant, name="MDF 2026-Q4", starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 12, 31)
        )
        alpha_q3 = AllocationFactory(tenant=tenant, fund=q3, partner=alpha)
        beta_q3 = AllocationFactory(tenant=tenant, fund=q3, partner=beta)
        alpha_q4 = AllocationFactory(tenant=tenant, fund=q4, partner=alpha)
        webinar = ActivityTypeFactory(tenant=tenant, key="webinar", name="Webinar", position=1)
        event = ActivityTypeFactory(tenant=tenant, key="event", name="Event / booth", position=2)
        date = datetime.date

        c1 = campaign("C1", alpha_q3, webinar, date(2026, 7, 10), claim=("approved", "1000.00", "1000.00", "2400.00"))
        campaign_lead(c1, ("won", "10000.00"))
        campaign_lead(c1, ("won", "2345.00"))
        campaign_lead(c1, ("lost", None))
        campaign_lead(c1, ("draft", None))

        c3 = campaign(
            "C3",
            beta_q3,
            webinar,
            date(2026, 8, 20),
            status="partially_approved",
            claim=("partially_approved", "900.00", "800.00", "1800.00"),
        )
        campaign_lead(c3, ("submitted", None))
        campaign_lead(c3, ("won", "5000.00"))
        campaign_lead(c3, ("approved", None))

        c4 = campaign("C4", beta_q3, event, date(2026, 9, 10), claim=("rejected", "700.00", None, "1400.00"))
        campaign_lead(c4, ("won", "2500.00"))
        campaign_lead(c4)

        c2 = campaign("C2", alpha_q4, event, date(2026, 10, 5), claim=("paid", "1500.00", "1500.00", "3000.00"))
        campaign_lead(c2, ("won", "9000.00"))
        campaign_lead(c2, ("won", "4000.00", "EUR"))
        campaign_lead(c2)

        c5 = campaign("C5", alpha_q4, webinar, date(2026, 10, 20), claim=("draft", "500.00", None, "1000.00"))

        # Not campaigns: their leads and deals count nowhere.
        rejected = campaign("X1", alpha_q3, webinar, date(2026, 7, 1), status="rejected")
        campaign_lead(rejected, ("won", "70000.00"))
        draft = campaign("X2", alpha_q3, event, date(2026, 7, 2), status="draft")
        campaign_lead(draft, ("won", "80000.00"))
        DealFactory(partner=alpha, status="won", closed_amount=Decimal("90000.00"))
        DealFactory(partner=alpha, lead=LeadFactory(tenant=tenant), status="won", closed_amount=Decimal("60000.00"))

        alpha_admin = partner_member(alpha)
    return RoiWorld(
        tenant=tenant,
        alpha=alpha,
        beta=beta,
        alpha_admin=alpha_admin,
        q3=q3,
        q4=q4,
        webinar=webinar,
        event=event,
        campaigns={"C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5},
    )
