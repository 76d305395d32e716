"""Demo data for MDF: per demo tenant a year of funds (three closed quarters and the open one), the vendor's
activity types, allocations by tier and by hand, requests and claims in every state with real proof files
(PDF invoices, PNG photos, attendee and lead CSVs), leads from those CSVs of which some became won deals, and
reimbursements paid through payouts of reimbursements only.

Everything goes through the services (activity types, which have none, through the model's checks). The
services stamp each step with the time it runs; afterwards requests and claims are spread over the year
(timestamps only, never after now). Approvals of claims, their reimbursement lines and payouts keep the day of
seeding: the ledger is append-only and dated when posted. Idempotent: a tenant that has the demo funds is left
as it is.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from deals.models import Product
from deals.services import deal_approve, deal_close_won, deal_submit, lead_convert
from incentives.services import payout_approve, payout_mark_paid, payouts_prepare
from partners.models import Partner, PartnerStatus, PartnerUser
from partners.services.tiers import tenant_today
from prm.accounts.models import User
from prm.accounts.roles import Role

from .models import ActivityType, CampaignLead, Fund, MdfClaim, MdfClaimStatus, MdfRequest, MdfRequestStatus
from .rules import claim_cap, request_cap
from .services import (
    allocation_available,
    allocation_set,
    allocations_by_tier,
    allocations_coop,
    allocations_expire,
    claim_attachment_add,
    fund_create,
    mdf_claim_approve,
    mdf_claim_create,
    mdf_claim_reject,
    mdf_claim_return,
    mdf_claim_submit,
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
)

CENT = Decimal("0.01")
# key, name, position, required proof
ACTIVITY_TYPES = [
    ("webinar", "Webinar", ["invoice", "attendees"]),
    ("event", "Event / booth", ["invoice", "photo", "attendees"]),
    ("digital", "Digital campaign", ["invoice", "leads"]),
    ("radio-print", "Radio / print", ["invoice", "other"]),
    ("syndication", "Content syndication", ["invoice", "leads"]),
    ("training", "Training", ["invoice", "attendees"]),
    ("other", "Other", ["invoice"]),
]
BUDGET = Decimal("400000.00")
SHOWCASE_DOMAIN = "iberia-cloud.example"
COOP_PCT = Decimal("2.00")
MANUAL_TOP_UP = Decimal("12000.00")
# The demo's quarters give a year to claim and to use their allocations: the older quarters' requests and claims
# are made when the demo is seeded. The quarter before them keeps the default expiry, so it shows what expiring
# allocations look like.
CLAIM_WINDOW_DAYS = 365
PAID, PAID_IN_PART = "paid", "paid_in_part"
# (request outcome, claim outcome) per fund, oldest quarter first.
SCENARIOS = [
    [("approved", PAID), ("approved", PAID), ("partially_approved", PAID_IN_PART), ("approved", "rejected"),
     ("rejected", None)],
    [("approved", PAID), ("approved", PAID_IN_PART), ("approved", "rejected"), ("returned", None)],
    [("approved", PAID), ("approved", "approved"), ("approved", "partially_approved"),
     ("partially_approved", "submitted"), ("approved", "returned"), ("approved", "draft"), ("rejected", None)],
    [("draft", None), ("submitted", None), ("approved", None), ("partially_approved", None), ("rejected", None),
     ("returned", None), ("approved", "draft")],
]  # fmt: skip
TITLES = {
    "webinar": "Cloud security webinar",
    "event": "Booth at the regional IT fair",
    "digital": "LinkedIn lead campaign",
    "radio-print": "Radio spots on business radio",
    "syndication": "Whitepaper syndication",
    "training": "Customer training day",
    "other": "Partner open house",
}
LEAD_COMPANIES = ["Brightline", "Copperleaf", "Driftwood", "Evergreen", "Foxglove", "Goldcrest", "Hillside"]


@dataclass
class Quarter:
    number: int
    year: int
    starts_on: datetime.date
    ends_on: datetime.date


def _quarter_of(day: datetime.date, back: int) -> Quarter:
    index = day.year * 4 + (day.month - 1) // 3 - back
    year, number = divmod(index, 4)
    starts_on = datetime.date(year, number * 3 + 1, 1)
    ends_on = datetime.date(year + (number == 3), (number * 3 + 3) % 12 + 1, 1) - datetime.timedelta(days=1)
    return Quarter(number + 1, year, starts_on, ends_on)


def _pdf(text: str) -> bytes:
    """A small, valid one-page PDF showing `text` (offsets computed, so readers open it without repair)."""
    stream = f"BT /F1 14 Tf 50 780 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _png(colour: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 90), colour)
    ImageDraw.Draw(image).rectangle((20, 20, 140, 70), outline="white", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _attendees(code: str, count: int) -> bytes:
    rows = [f"Attendee {n},attendee{n}@{code.lower()}.example,Company {n}" for n in range(1, count + 1)]
    return ("name,email,company\n" + "\n".join(rows) + "\n").encode()


def _leads(code: str, country: str, index: int) -> bytes:
    rows = []
    for n, company in enumerate(LEAD_COMPANIES[: 3 + index % 3], start=1):
        name = f"{company} {code}"
        domain = f"{company.lower()}-{code.lower()}.example"
        value = 15000 + 5000 * ((index + n) % 5)
        rows.append(f"{name},{domain},Casey Buyer,casey@{domain},{country},{value}")
    header = "company_name,company_domain,contact_name,contact_email,country,estimated_value\n"
    return (header + "\n".join(rows) + "\n").encode()


def _upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _proof(kind: str, code: str, country: str, index: int) -> SimpleUploadedFile:
    if kind == "invoice":
        return _upload(f"invoice-{code}.pdf", _pdf(f"Invoice for campaign {code}"), "application/pdf")
    if kind == "photo":
        return _upload(f"photo-{code}.png", _png("#0f766e"), "image/png")
    if kind == "attendees":
        return _upload(f"attendees-{code}.csv", _attendees(code, 12 + index % 20), "text/csv")
    if kind == "leads":
        return _upload(f"leads-{code}.csv", _leads(code, country, index), "text/csv")
    return _upload(f"proof-{code}.pdf", _pdf(f"Broadcast log for campaign {code}"), "application/pdf")


def seed_activity_types() -> list[ActivityType]:
    types = []
    for position, (key, name, proof) in enumerate(ACTIVITY_TYPES):
        activity_type = ActivityType.objects.filter(key=key).first()
        if activity_type is None:
            activity_type = ActivityType(key=key, name=name, position=position, required_proof=proof)
            activity_type.full_clean(exclude=["tenant"])
            activity_type.save()
        types.append(activity_type)
    return types


def _partner_users() -> dict[int, User]:
    """{partner id: its first partner admin}, who asks for funds and claims them."""
    users = {}
    links = PartnerUser.objects.filter(membership__role=Role.PARTNER_ADMIN).select_related("membership__user")
    for link in links.order_by("pk"):
        users.setdefault(link.partner_id, link.membership.user)
    return users


def _share(amount: Decimal, pct: str) -> Decimal:
    return (amount * Decimal(pct) / 100).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Seeder:
    tenant: object
    manager: User
    users: dict
    types: list
    product: Product | None
    today: datetime.date
    counter: int = 0

    def fund(self, quarter: Quarter, *, expiry_days_after_end: int = CLAIM_WINDOW_DAYS, coop_accrual_pct=None) -> Fund:
        fund = fund_create(
            actor=self.manager,
            name=f"MDF {quarter.year} Q{quarter.number}",
            scheme=Fund.Scheme.QUARTER,
            starts_on=quarter.starts_on,
            ends_on=quarter.ends_on,
            budget=BUDGET,
            currency=self.tenant.currency,
            claim_window_days=CLAIM_WINDOW_DAYS,
            expiry_days_after_end=expiry_days_after_end,
            coop_accrual_pct=coop_accrual_pct,
        )
        allocations_by_tier(fund=fund, actor=self.manager)
        allocations_coop(fund=fund, actor=self.manager)
        return fund

    def request(self, fund: Fund, partner: Partner, allocation, scenario_index: int) -> MdfRequest:
        self.counter += 1
        activity_type = self.types[self.counter % len(self.types)]
        code = f"{self.tenant.slug[:3].upper()}-{self.counter:03d}"
        starts_on = min(fund.starts_on + datetime.timedelta(days=10 + 9 * scenario_index), self.today)
        ends_on = min(starts_on + datetime.timedelta(days=1 + scenario_index % 3), max(self.today, starts_on))
        planned = Decimal(4000 + 1000 * (self.counter % 4)).quantize(CENT)
        tier = partner.tier
        cap = request_cap(planned, tier.mdf_reimbursement_cap_pct if tier else None, allocation_available(allocation))
        return mdf_request_create(
            actor=self.users[partner.pk],
            partner=partner,
            allocation=allocation,
            activity_type=activity_type,
            title=TITLES[activity_type.key],
            description=f"{TITLES[activity_type.key]} with {partner.name} for mid-market customers.",
            starts_on=starts_on,
            ends_on=ends_on,
            planned_cost=planned,
            requested_amount=cap,
            expected_leads=10 + self.counter % 15,
            campaign_code=code,
        )

    def decide_request(self, request: MdfRequest, outcome: str) -> MdfRequest:
        user = self.users[request.partner_id]
        if outcome == "draft":
            return request
        request = mdf_request_submit(actor=user, request=request)
        if outcome == "approved":
            return mdf_request_approve(actor=self.manager, request=request)
        if outcome == "partially_approved":
            amount = _share(request.requested_amount, "80")
            reason = "The booth space is shared with another partner."
            return mdf_request_approve(actor=self.manager, request=request, amount=amount, reason=reason)
        if outcome == "rejected":
            return mdf_request_reject(actor=self.manager, request=request, reason="Outside this quarter's focus.")
        if outcome == "returned":
            return mdf_request_return(actor=self.manager, request=request, reason="Add the agenda and the audience.")
        return request

    def claim(self, request: MdfRequest, outcome: str, index: int) -> MdfClaim:
        """A claim with its proof (lead CSVs always, so ROI has leads), submitted unless it stays a draft."""
        user = self.users[request.partner_id]
        actual = (request.planned_cost * Decimal("0.95")).quantize(CENT)
        tier = request.partner.tier
        amount = claim_cap(actual, tier.mdf_reimbursement_cap_pct if tier else None, request.approved_amount)
        claim = mdf_claim_create(actor=user, request=request, actual_cost=actual, amount=amount)
        country = request.partner.country or "US"
        for kind in dict.fromkeys([*request.activity_type.required_proof, "leads"]):
            claim_attachment_add(
                actor=user, claim=claim, kind=kind, upload=_proof(kind, request.campaign_code, country, index)
            )
        if outcome == "draft":
            return claim
        return mdf_claim_submit(actor=user, claim=claim)

    def decide_claim(self, claim: MdfClaim, outcome: str) -> MdfClaim:
        if outcome in ("approved", PAID):
            return mdf_claim_approve(actor=self.manager, claim=claim)
        if outcome in ("partially_approved", PAID_IN_PART):
            return mdf_claim_approve(
                actor=self.manager,
                claim=claim,
                amount=_share(claim.amount, "90"),
                reason="Catering is not reimbursable.",
            )
        if outcome == "rejected":
            return mdf_claim_reject(actor=self.manager, claim=claim, reason="The invoice is for another activity.")
        if outcome == "returned":
            return mdf_claim_return(actor=self.manager, claim=claim, reason="Add photos of the booth.")
        return claim

    def pay(self, fund: Fund) -> None:
        """Pay the approved reimbursements through payouts of reimbursements only (incentives wait for theirs),
        today: the ledger's lines are dated when they are posted, and a payout is never older than its lines."""
        for payout in payouts_prepare(actor=self.manager, currency=fund.currency, lines="reimbursements"):
            payout_approve(actor=self.manager, payout=payout)
            payout_mark_paid(actor=self.manager, payout=payout, external_reference=f"MDF-{fund.name}")

    def win_deals(self, claim: MdfClaim, wins: int) -> None:
        """The claim's first leads became registrations; `wins` of them were won."""
        user = self.users[claim.partner_id]
        leads = CampaignLead.objects.filter(request=claim.request).select_related("lead").order_by("pk")
        for position, campaign_lead in enumerate(leads[:2]):
            lines = [{"product": self.product, "quantity": 1 + position}] if self.product else []
            deal = lead_convert(lead=campaign_lead.lead, actor=user, lines=lines, expected_close_date=self.today)
            deal = deal_submit(deal=deal, actor=user)
            deal = deal_approve(deal=deal, actor=self.manager)
            if position < wins and lines:
                amount = (campaign_lead.lead.estimated_value * Decimal("0.9")).quantize(CENT)
                deal_close_won(deal=deal, actor=user, amount=amount)


def _at(day: datetime.date, hour: int, now: datetime.datetime) -> datetime.datetime:
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), now)


def spread_history(now: datetime.datetime) -> None:
    """Requests asked two weeks before the activity and decided the next day; claims made a week after it, and
    those refused or returned decided three days later; never after now. An approved claim keeps the time of
    its approval: its reimbursement line is dated then (the ledger is append-only)."""
    for request in MdfRequest.objects.exclude(status=MdfRequestStatus.DRAFT):
        submitted = _at(request.starts_on - datetime.timedelta(days=14), 9, now)
        values = {"submitted_at": submitted, "review_due_at": submitted + datetime.timedelta(days=2)}
        if request.decided_at:
            values["decided_at"] = min(submitted + datetime.timedelta(days=1), now)
        MdfRequest.objects.filter(pk=request.pk).update(created_at=submitted, **values)
    for claim in MdfClaim.objects.select_related("request"):
        made = _at(claim.request.ends_on + datetime.timedelta(days=7), 11, now)
        values = {"created_at": made}
        if claim.submitted_at:
            values |= {"submitted_at": made, "review_due_at": made + datetime.timedelta(days=2)}
        if claim.decided_at and claim.reimbursement_id is None:
            values["decided_at"] = min(made + datetime.timedelta(days=3), now)
        MdfClaim.objects.filter(pk=claim.pk).update(**values)


def seed_mdf_demo(tenant, stdout) -> None:
    today = tenant_today()
    quarters = [_quarter_of(today, back) for back in (3, 2, 1, 0)]
    if not Fund.objects.filter(name=f"MDF {quarters[0].year} Q{quarters[0].number}").exists():
        _seed(tenant, today, quarters)
    paid = MdfClaim.objects.filter(status=MdfClaimStatus.PAID).aggregate(total=Sum("approved_amount"))["total"]
    stdout.write(
        f"  {tenant.slug}: {Fund.objects.count()} MDF funds, {MdfRequest.objects.count()} requests, "
        f"{MdfClaim.objects.count()} claims ({paid or 0} {tenant.currency} paid), "
        f"{CampaignLead.objects.count()} campaign leads"
    )


def _seed(tenant, today: datetime.date, quarters: list[Quarter]) -> None:
    manager = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    users = _partner_users()
    partners = [
        partner
        for partner in Partner.objects.filter(status=PartnerStatus.ACTIVE).select_related("tier").order_by("pk")
        if partner.pk in users and (partner.tier is None or partner.tier.mdf_reimbursement_cap_pct > 0)
    ]
    seeder = Seeder(
        tenant=tenant,
        manager=manager,
        users=users,
        types=seed_activity_types(),
        product=Product.objects.filter(is_active=True).order_by("pk").first(),
        today=today,
    )
    seeder.fund(_quarter_of(today, 4), expiry_days_after_end=Fund._meta.get_field("expiry_days_after_end").default)
    allocations_expire(today=today)
    # One partner (a login the README names) has a request of every third scenario, so its MDF page shows a bit of
    # everything; the others are spread over the eligible partners.
    showcase = next((partner for partner in partners if partner.domain == SHOWCASE_DOMAIN), partners[0])
    others = [partner for partner in partners if partner != showcase] or partners
    for fund_index, (quarter, scenarios) in enumerate(zip(quarters, SCENARIOS, strict=True)):
        # The open quarter also accrues co-op funds from each partner's revenue of the quarter before.
        fund = seeder.fund(quarter, coop_accrual_pct=COOP_PCT if quarter is quarters[-1] else None)
        claims = []
        for index, (request_outcome, claim_outcome) in enumerate(scenarios):
            partner = showcase if index % 3 == 0 else others[(fund_index * 3 + index) % len(others)]
            allocation = allocation_set(
                actor=manager, fund=fund, partner=partner, amount=MANUAL_TOP_UP, note="Campaign top-up"
            )
            request = seeder.decide_request(seeder.request(fund, partner, allocation, index), request_outcome)
            if claim_outcome is not None:
                claims.append((seeder.claim(request, claim_outcome, index), claim_outcome))
        to_pay = [(claim, outcome) for claim, outcome in claims if outcome in (PAID, PAID_IN_PART)]
        for claim, outcome in to_pay:
            seeder.decide_claim(claim, outcome)
        if to_pay:
            seeder.pay(fund)
        for claim, outcome in claims:
            if outcome not in (PAID, PAID_IN_PART, "draft", "submitted"):
                seeder.decide_claim(claim, outcome)
        for position, (claim, _outcome) in enumerate(to_pay):
            seeder.win_deals(claim, wins=2 if position == 0 else 1)
    spread_history(timezone.now())
