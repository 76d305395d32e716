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

D = Decimal


# (key, label, currency, campaigns, spend, partner_cost, leads, deals, won, won_other_currency, revenue, roi,
#  cost_per_lead)
# C1: spend 1000.00 (approved), leads 4; deals won 10000 + won 2345 + lost (the draft does not count) = 3, won 2,
#     revenue 12345.00; ROI 12345 / 1000 = 12.345 → 12.35 (half-up); per lead 1000 / 4 = 250.00.
C1 = ("C1", "Campaign C1", "USD", 1, D("1000.00"), D("2400.00"), 4, 3, 2, 0, D("12345.00"), D("12.35"), D("250.00"))
# C3: spend 800.00 (partially approved), leads 3; submitted + won 5000 + approved = 3 deals, won 1;
#     ROI 5000 / 800 = 6.25; per lead 800 / 3 = 266.666… → 266.67.
C3 = ("C3", "Campaign C3", "USD", 1, D("800.00"), D("1800.00"), 3, 3, 1, 0, D("5000.00"), D("6.25"), D("266.67"))
# C4: claim rejected → spend 0, partner cost 0; leads 2, one won 2500; ROI none (no spend); per lead 0 / 2 = 0.00.
C4 = ("C4", "Campaign C4", "USD", 1, D("0.00"), D("0.00"), 2, 1, 1, 0, D("2500.00"), None, D("0.00"))
# C2: spend 1500.00 (paid), leads 3; won 9000 USD + won 4000 EUR (not converted: other currency) = 2 deals, won 2,
#     revenue 9000.00; ROI 9000 / 1500 = 6.00; per lead 1500 / 3 = 500.00.
C2 = ("C2", "Campaign C2", "USD", 1, D("1500.00"), D("3000.00"), 3, 2, 2, 1, D("9000.00"), D("6.00"), D("500.00"))
# C5: draft claim, no leads: all zero, ROI and per lead none.
C5 = ("C5", "Campaign C5", "USD", 1, D("0.00"), D("0.00"), 0, 0, 0, 0, D("0.00"), None, None)
# All five: spend 1000 + 800 + 1500 = 3300.00; cost 2400 + 1800 + 3000 = 7200.00; leads 4 + 3 + 2 + 3 = 12;
#   deals 3 + 3 + 1 + 2 = 9; won 2 + 1 + 1 + 2 = 6; revenue 12345 + 5000 + 2500 + 9000 = 28845.00;
#   ROI 28845 / 3300 = 8.7409… → 8.74; per lead 3300 / 12 = 275.00.
TOTAL = ("total", "Total", "USD", 5, D("3300.00"), D("7200.00"), 12, 9, 6, 1, D("28845.00"), D("8.74"), D("275.00"))

EXPECTED = {
    # by start date: C1 07-10, C3 08-20, C4 09-10, C2 10-05, C5 10-20
    "activity": [C1, C3, C4, C2, C5],
    "activity_type": [
        # webinar (position 1) = C1 + C3 + C5: spend 1800.00, cost 4200.00, leads 7, deals 6, won 3,
        #   revenue 17345.00; ROI 17345 / 1800 = 9.636… → 9.64; per lead 1800 / 7 = 257.142… → 257.14
        ("webinar", "Webinar", "USD", 3, D("1800.00"), D("4200.00"), 7, 6, 3, 0, D("17345.00"), D("9.64"), D("257.14")),
        # event (position 2) = C4 + C2: spend 1500.00, cost 3000.00, leads 5, deals 3, won 3 (1 in EUR),
        #   revenue 11500.00; ROI 11500 / 1500 = 7.666… → 7.67; per lead 1500 / 5 = 300.00
        (
            "event",
            "Event / booth",
            "USD",
            2,
            D("1500.00"),
            D("3000.00"),
            5,
            3,
            3,
            1,
            D("11500.00"),
            D("7.67"),
            D("300.00"),
        ),
    ],
    "partner": [
        # Alpha = C1 + C2 + C5: spend 2500.00, cost 5400.00, leads 7, deals 5, won 4 (1 in EUR), revenue 21345.00;
        #   ROI 21345 / 2500 = 8.538 → 8.54; per lead 2500 / 7 = 357.142… → 357.14
        (
            "alpha",
            "Alpha Partner",
            "USD",
            3,
            D("2500.00"),
            D("5400.00"),
            7,
            5,
            4,
            1,
            D("21345.00"),
            D("8.54"),
            D("357.14"),
        ),
        # Beta = C3 + C4: spend 800.00, cost 1800.00, leads 5, deals 4, won 2, revenue 7500.00;
        #   ROI 7500 / 800 = 9.375 → 9.38 (half-up); per lead 800 / 5 = 160.00
        ("beta", "Beta Partner", "USD", 2, D("800.00"), D("1800.00"), 5, 4, 2, 0, D("7500.00"), D("9.38"), D("160.00")),
    ],
    "period": [
        # 2026-Q3 = C1 + C3 + C4: spend 1800.00, cost 4200.00, leads 9, deals 7, won 4, revenue 19845.00;
        #   ROI 19845 / 1800 = 11.025 → 11.03 (half-up); per lead 1800 / 9 = 200.00
        (
            "2026-Q3",
            "2026-Q3",
            "USD",
            3,
            D("1800.00"),
            D("4200.00"),
            9,
            7,
            4,
            0,
            D("19845.00"),
            D("11.03"),
            D("200.00"),
        ),
        # 2026-Q4 = C2 + C5: spend 1500.00, cost 3000.00, leads 3, deals 2, won 2 (1 in EUR), revenue 9000.00;
        #   ROI 6.00; per lead 500.00
        ("2026-Q4", "2026-Q4", "USD", 2, D("1500.00"), D("3000.00"), 3, 2, 2, 1, D("9000.00"), D("6.00"), D("500.00")),
    ],
}


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


def roi_world(tenant, *, prefix="") -> RoiWorld:
    """The case above at `tenant`; `prefix` starts its partner names and campaign codes (for another tenant)."""
    with tenant_context(tenant):
        program = ProgramFactory(tenant=tenant)
        alpha = PartnerFactory(program=program, name=f"{prefix}Alpha Partner")
        beta = PartnerFactory(program=program, name=f"{prefix}Beta Partner")
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

        c1 = campaign(
            f"{prefix}C1", alpha_q3, webinar, date(2026, 7, 10), claim=("approved", "1000.00", "1000.00", "2400.00")
        )
        campaign_lead(c1, ("won", "10000.00"))
        campaign_lead(c1, ("won", "2345.00"))
        campaign_lead(c1, ("lost", None))
        campaign_lead(c1, ("draft", None))

        c3 = campaign(
            f"{prefix}C3",
            beta_q3,
            webinar,
            date(2026, 8, 20),
            status="partially_approved",
            claim=("partially_approved", "900.00", "800.00", "1800.00"),
        )
        campaign_lead(c3, ("submitted", None))
        campaign_lead(c3, ("won", "5000.00"))
        campaign_lead(c3, ("approved", None))

        c4 = campaign(f"{prefix}C4", beta_q3, event, date(2026, 9, 10), claim=("rejected", "700.00", None, "1400.00"))
        campaign_lead(c4, ("won", "2500.00"))
        campaign_lead(c4)

        c2 = campaign(
            f"{prefix}C2", alpha_q4, event, date(2026, 10, 5), claim=("paid", "1500.00", "1500.00", "3000.00")
        )
        campaign_lead(c2, ("won", "9000.00"))
        campaign_lead(c2, ("won", "4000.00", "EUR"))
        campaign_lead(c2)

        c5 = campaign(f"{prefix}C5", alpha_q4, webinar, date(2026, 10, 20), claim=("draft", "500.00", None, "1000.00"))

        # Not campaigns: their leads and deals count nowhere.
        rejected = campaign(f"{prefix}X1", alpha_q3, webinar, date(2026, 7, 1), status="rejected")
        campaign_lead(rejected, ("won", "70000.00"))
        draft = campaign(f"{prefix}X2", alpha_q3, event, date(2026, 7, 2), status="draft")
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
