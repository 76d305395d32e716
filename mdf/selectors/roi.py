"""MDF ROI: what campaigns cost the vendor and what their leads became, grouped by activity, activity type,
partner or quarter, in two queries whatever the number of campaigns.

Definitions (per campaign, i.e. per approved or partially approved request; summed per group):

- `spend`: the MDF reimbursed, the claim's approved amount once the claim is approved, partially approved or
  paid (0 while it is a draft, under review, returned or rejected); `partner_cost` is the actual cost those same
  claims state.
- `leads`: the campaign's leads (`CampaignLead`, from the claim's lead CSV).
- `deals`: registrations made from those leads that were submitted (any status but draft); `won`: those won.
- `revenue`: the won amount of the won registrations in the fund's currency. Amounts are never converted:
  registrations won in another currency are counted in `won` and in `won_other_currency`, not in revenue.
- `roi` = revenue / spend (None when spend is 0); `cost_per_lead` = spend / leads (None without leads); both
  half-up to two places (`mdf.rules.roi`, `mdf.rules.cost_per_lead`).

Every row is one group in one currency (the funds'); the totals are one row per currency. A campaign's leads
and revenue count even while its claim is not approved yet (its spend is then 0). The period is the quarter in
which the activity starts (`2026-Q3`); the date filters select activities by their start date too.
"""

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils.translation import gettext as _

from deals.selectors import lead_outcomes
from partners.permissions import request_partner
from prm.accounts.permissions import request_can

from ..models import (
    APPROVED_CLAIM_STATUSES,
    APPROVED_REQUEST_STATUSES,
    CampaignLead,
    MdfClaimStatus,
    MdfRequest,
)
from ..rules import CENT, cost_per_lead, roi
from .access import requests_visible_to

ROI_GROUPINGS = ("activity", "activity_type", "partner", "period")
REIMBURSED_CLAIM_STATUSES = (*APPROVED_CLAIM_STATUSES, MdfClaimStatus.PAID)
_MONEY = DecimalField(max_digits=16, decimal_places=2)

# Per grouping: the columns a row is grouped by, its order, and how its key and label read from the columns.
_GROUPS = {
    "activity": {
        "columns": {"code": F("campaign_code"), "name": F("title"), "starts": F("starts_on")},
        "order": ("starts", "code"),
        "key": lambda row: row["code"],
        "label": lambda row: row["name"],
    },
    "activity_type": {
        "columns": {
            "code": F("activity_type__key"),
            "name": F("activity_type__name"),
            "position": F("activity_type__position"),
        },
        "order": ("position", "name", "code"),
        "key": lambda row: row["code"],
        "label": lambda row: row["name"],
    },
    "partner": {
        "columns": {"code": F("partner_id"), "name": F("partner__name")},
        "order": ("name", "code"),
        "key": lambda row: str(row["code"]),
        "label": lambda row: row["name"],
    },
    "period": {
        "columns": {"year": ExtractYear("starts_on"), "quarter": ExtractQuarter("starts_on")},
        "order": ("year", "quarter"),
        "key": lambda row: f"{row['year']}-Q{row['quarter']}",
        "label": lambda row: f"{row['year']}-Q{row['quarter']}",
    },
}


@dataclass(frozen=True)
class RoiRow:
    """One group's figures in one currency (or the totals of a currency, key `total`)."""

    key: str
    label: str
    currency: str
    campaigns: int
    spend: Decimal
    partner_cost: Decimal
    leads: int
    deals: int
    won: int
    won_other_currency: int
    revenue: Decimal

    @property
    def roi(self) -> Decimal | None:
        return roi(self.revenue, self.spend)

    @property
    def cost_per_lead(self) -> Decimal | None:
        return cost_per_lead(self.spend, self.leads)


ADDITIVE = tuple(field.name for field in fields(RoiRow) if field.name not in ("key", "label", "currency"))
MONEY_FIGURES = ("spend", "partner_cost", "revenue")


@dataclass(frozen=True)
class RoiReport:
    group_by: str
    rows: list[RoiRow]
    totals: list[RoiRow]  # one per currency


def _per_campaign() -> dict:
    """Each campaign's own figures, as aggregates over its request row (the claim is joined: one per request)."""
    reimbursed = Q(claims__status__in=REIMBURSED_CLAIM_STATUSES)
    leads = CampaignLead.objects.filter(request=OuterRef("pk")).order_by().values("request")
    return {
        "spend": Coalesce(Sum("claims__approved_amount", filter=reimbursed), Value(Decimal(0)), output_field=_MONEY),
        "partner_cost": Coalesce(Sum("claims__actual_cost", filter=reimbursed), Value(Decimal(0)), output_field=_MONEY),
        "leads": Coalesce(
            Sum(Subquery(leads.annotate(n=Count("pk")).values("n"), output_field=IntegerField())), Value(0)
        ),
    }


def _outcomes(campaigns: QuerySet[MdfRequest]) -> dict[int, list[dict]]:
    """{campaign id: its leads' registrations per currency (deals, won, revenue)}, one query: the registrations
    are read once, each tied to its lead's campaign."""
    lead_of_deal = CampaignLead.objects.filter(lead_id=OuterRef("lead_id")).order_by()
    rows = lead_outcomes(
        lead_ids=CampaignLead.objects.filter(request__in=campaigns.values("pk")).values("lead_id"),
        group=Subquery(lead_of_deal.values("request_id")[:1]),
    )
    outcomes: dict[int, list[dict]] = {}
    for row in rows:
        outcomes.setdefault(row.pop("group"), []).append(row)
    return outcomes


def _in_currency(rows: list[dict], currency: str) -> dict:
    """A campaign's registrations counted in its fund's currency: revenue in other currencies is not converted,
    those wins are counted apart (`won_other_currency`)."""
    figures = {"deals": 0, "won": 0, "won_other_currency": 0, "revenue": Decimal(0)}
    for row in rows:
        figures["deals"] += row["deals"]
        figures["won"] += row["won"]
        if row["currency"] == currency:
            figures["revenue"] += row["revenue"]
        else:
            figures["won_other_currency"] += row["won"]
    return figures


def roi_requests_for(request) -> QuerySet[MdfRequest] | None:
    """The requests whose ROI the user may read: every one for vendor staff, the company's for a partner's users;
    None for anyone else (refused)."""
    if request_can(request, "mdf.view_all"):
        return requests_visible_to(request)
    if request_can(request, "mdf.use") and request_partner(request) is not None:
        return requests_visible_to(request)
    return None


def mdf_roi(
    *,
    requests: QuerySet[MdfRequest],
    group_by: str,
    fund=None,
    partner=None,
    activity_type=None,
    starts_from: datetime.date | None = None,
    starts_to: datetime.date | None = None,
) -> RoiReport:
    """ROI of the campaigns among `requests` (already scoped to the viewer: `requests_visible_to`), grouped by
    `group_by` (one of ROI_GROUPINGS), optionally of one fund, partner or activity type and starting within
    [starts_from, starts_to]. Two queries whatever the number of campaigns: the campaigns with their claims and
    lead counts (one row each, summed into their groups here), and what their leads became."""
    group = _GROUPS[group_by]
    campaigns = requests.filter(status__in=APPROVED_REQUEST_STATUSES)
    if fund is not None:
        campaigns = campaigns.filter(allocation__fund=fund)
    if partner is not None:
        campaigns = campaigns.filter(partner=partner)
    if activity_type is not None:
        campaigns = campaigns.filter(activity_type=activity_type)
    if starts_from is not None:
        campaigns = campaigns.filter(starts_on__gte=starts_from)
    if starts_to is not None:
        campaigns = campaigns.filter(starts_on__lte=starts_to)
    per_campaign = (
        campaigns.order_by()
        .values(**group["columns"], currency=F("allocation__fund__currency"), campaign=F("pk"))
        .annotate(**_per_campaign())
        .order_by(*group["order"], "currency", "campaign")
    )
    outcomes = _outcomes(campaigns)
    groups: dict[tuple[str, str], dict] = {}
    for values in per_campaign:
        key = group["key"](values)
        sums = groups.get((key, values["currency"]))
        if sums is None:
            sums = groups[(key, values["currency"])] = {
                "key": key,
                "label": group["label"](values),
                "currency": values["currency"],
                **dict.fromkeys(ADDITIVE, 0),
            }
        sums["campaigns"] += 1
        for name, value in (values | _in_currency(outcomes.get(values["campaign"], []), values["currency"])).items():
            if name in ADDITIVE:
                sums[name] += value
    rows = [_row(sums) for sums in groups.values()]
    return RoiReport(group_by=group_by, rows=rows, totals=roi_totals(rows))


def _row(sums: dict) -> RoiRow:
    # A sum over no claim or no won deal is a bare 0: every amount shows its cents.
    return RoiRow(**(sums | {name: Decimal(sums[name]).quantize(CENT) for name in MONEY_FIGURES}))


def roi_totals(rows: list[RoiRow]) -> list[RoiRow]:
    """The rows summed per currency (every campaign is in exactly one row), in currency order."""
    totals: dict[str, dict] = {}
    for row in rows:
        sums = totals.setdefault(row.currency, dict.fromkeys(ADDITIVE, 0))
        for name in ADDITIVE:
            sums[name] += getattr(row, name)
    return [
        RoiRow(key="total", label=_("Total"), currency=currency, **sums) for currency, sums in sorted(totals.items())
    ]
