"""Demo data for the deals app: a catalog, house accounts, a few hundred registrations in every status
(some in real conflict), leads in every state and twelve months of sales per partner.

Rows are written directly (not through the services) so seeding sends no notifications; the values
follow the same rules. Idempotent: a tenant that already has registrations is left as it is.
"""

import hashlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from partners.models import Partner, PartnerStatus, PartnerUser
from prm.accounts.models import User
from prm.accounts.roles import Role

from .models import (
    Deal,
    DealEvent,
    DealLine,
    DealSource,
    DealStatus,
    HouseAccount,
    Lead,
    LeadAssignment,
    Product,
    SaleRecord,
)
from .pricing import split_largest_remainder
from .rules import normalise_company_name
from .services.lifecycle import deal_conflicts_refresh

CENT = Decimal("0.01")
# sku suffix, name, family, list price, recurring billing period ("" = one-time)
CATALOG = [
    ("CORE", "Cloud Platform", "Platform", "12000", "year"),
    ("SEC", "Security Add-on", "Platform", "4800", "year"),
    ("ANL", "Analytics Suite", "Analytics", "6000", "year"),
    ("SUP", "Premium Support", "Services", "3600", "year"),
    ("IMPL", "Implementation Package", "Services", "15000", ""),
    ("TRN", "Training Day", "Services", "2000", ""),
    ("MIG", "Migration Assessment", "Services", "8000", ""),
]
HOUSE_ACCOUNTS = [
    ("Globodyne Corporation", "globodyne.example", "Dana Direct"),
    ("Initech Inc", "initech.example", "Dana Direct"),
    ("Umbrella Health plc", "umbrella-health.example", "Sam Strategic"),
    ("Stark Logistics", "stark-logistics.example", "Sam Strategic"),
    ("Wayne Foods BV", "wayne-foods.example", "Dana Direct"),
]
CUSTOMERS = [
    "Northwind Traders", "Contoso Retail", "Fabrikam Manufacturing", "Tailspin Toys", "Adventure Works",
    "Litware Insurance", "Proseware Labs", "Woodgrove Bank", "Lucerne Publishing", "Margie's Travel",
    "Alpine Ski House", "Coho Winery", "Fourth Coffee", "Graphic Design Institute", "Humongous Insurance",
    "Blue Yonder Airlines", "City Power & Light", "Consolidated Messenger", "Trey Research", "Wide World Importers",
    "Southridge Video", "VanArsdel Ltd", "Relecloud", "Munson's Pickles", "Bellows College",
]  # fmt: skip
# Partners' own customers: prefix × sector gives every registration its own company.
PREFIXES = [
    "Aurora",
    "Summit",
    "Harbor",
    "Cedar",
    "Quartz",
    "Falcon",
    "Meridian",
    "Nimbus",
    "Orchid",
    "Pioneer",
    "Redwood",
    "Sapphire",
    "Tundra",
    "Vertex",
    "Willow",
    "Zenith",
    "Beacon",
    "Cobalt",
    "Delta",
    "Ember",
    "Granite",
    "Horizon",
    "Ivory",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Northstar",
    "Onyx",
    "Prairie",
]
SECTORS = [
    "Logistics",
    "Dental Care",
    "Robotics",
    "Foods",
    "Insurance",
    "Architects",
    "Pharma",
    "Textiles",
    "Energy",
    "Media",
    "Hotels",
    "Law Firm",
]
# status, count per partner (dates and amounts vary by a hash of the partner and index)
STATUS_MIX = [
    (DealStatus.DRAFT, 1),
    (DealStatus.SUBMITTED, 2),
    (DealStatus.APPROVED, 3),
    (DealStatus.WON, 3),
    (DealStatus.LOST, 1),
    (DealStatus.REJECTED, 1),
    (DealStatus.EXPIRED, 1),
]


def _h(*parts) -> int:
    """A stable number from the parts: demo data is the same on every machine and run."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def seed_catalog(tenant) -> list[Product]:
    prefix = tenant.slug[:3].upper()
    products = []
    for suffix, name, family, price, period in CATALOG:
        product, _created = Product.objects.get_or_create(
            sku=f"{prefix}-{suffix}",
            defaults={
                "name": name,
                "family": family,
                "list_price": Decimal(price),
                "currency": tenant.currency,
                "billing": Product.Billing.RECURRING if period else Product.Billing.ONE_TIME,
                "billing_period": period,
            },
        )
        products.append(product)
    for company, domain, owner in HOUSE_ACCOUNTS:
        HouseAccount.objects.get_or_create(
            domain=domain,
            defaults={
                "company_name": company,
                "name_normalised": normalise_company_name(company),
                "owner_name": owner,
                "owner_email": f"{owner.split()[0].lower()}@{tenant.slug}.example",
            },
        )
    return products


def _people_by_partner() -> dict[int, list[User]]:
    """{partner id: its reps (or, without reps, its admins)}, who register and book the demo deals (one query)."""
    reps, everyone = {}, {}
    for link in PartnerUser.objects.select_related("membership__user").order_by("pk"):
        everyone.setdefault(link.partner_id, []).append(link.membership.user)
        if link.membership.role == Role.PARTNER_REP:
            reps.setdefault(link.partner_id, []).append(link.membership.user)
    return {partner_id: reps.get(partner_id, users) for partner_id, users in everyone.items()}


def _customer(partner_index: int, deal_index: int) -> tuple[str, str]:
    """Mostly the partner's own customers; every seventh registration targets a house account and
    every fifth one a customer that one neighbouring partner also registered (real conflicts, in pairs)."""
    if deal_index % 7 == 3:
        company, domain, _owner = HOUSE_ACCOUNTS[(partner_index + deal_index) % len(HOUSE_ACCOUNTS)]
        return company.replace("Corporation", "Corp").replace(" plc", ""), domain
    if deal_index % 5 == 2:
        name = CUSTOMERS[((partner_index // 2) * 5 + deal_index) % len(CUSTOMERS)]  # shared by partners 2k and 2k+1
    else:
        number = partner_index * 12 + deal_index
        name = f"{PREFIXES[number % len(PREFIXES)]} {SECTORS[(number // len(PREFIXES)) % len(SECTORS)]}"
    return name, normalise_company_name(name).replace(" ", "-") + ".example"


def seed_deals(tenant, manager, products, people_of: dict) -> None:
    now = timezone.now()
    partners = list(Partner.objects.filter(status__in=[PartnerStatus.ACTIVE, PartnerStatus.ONBOARDING]).order_by("pk"))
    for partner_index, partner in enumerate(partners):
        people = people_of.get(partner.pk, [])
        deal_index = 0
        for status, count in STATUS_MIX:
            if partner.status == PartnerStatus.ONBOARDING and status not in (DealStatus.DRAFT, DealStatus.SUBMITTED):
                continue
            for _ in range(count):
                seed = _h(tenant.slug, partner.pk, deal_index)
                customer, domain = _customer(partner_index, deal_index)
                rep = people[seed % len(people)] if people else None
                age = 10 + seed % 300
                submitted = now - timedelta(days=age)
                value = Decimal(5000 + seed % 145000).quantize(CENT)
                deal = Deal.objects.create(
                    partner=partner,
                    registered_by=rep,
                    status=status,
                    customer_name=customer,
                    customer_name_normalised=normalise_company_name(customer),
                    customer_domain=domain,
                    country=partner.country or "US",
                    contact_name="Jordan Buyer",
                    contact_email=f"jordan@{domain}",
                    expected_close_date=(submitted + timedelta(days=90)).date(),
                    estimated_value=value,
                    currency=tenant.currency,
                    notes="Budget approved for this fiscal year.",
                    submitted_at=None if status == DealStatus.DRAFT else submitted,
                    review_due_at=None if status == DealStatus.DRAFT else submitted + timedelta(days=2),
                )
                _history(deal, status, submitted, manager, rep, seed)
                _lines(deal, products, seed)
                if status in (DealStatus.SUBMITTED, DealStatus.APPROVED):
                    deal_conflicts_refresh(deal)
                deal_index += 1


def _history(deal: Deal, status: str, submitted, manager, rep, seed: int) -> None:
    DealEvent.objects.create(deal=deal, kind="created", to_status=DealStatus.DRAFT, actor=rep)
    if status == DealStatus.DRAFT:
        return
    DealEvent.objects.create(
        deal=deal, kind="transition", from_status=DealStatus.DRAFT, to_status=DealStatus.SUBMITTED, actor=rep
    )
    if status == DealStatus.SUBMITTED:
        return
    # Nothing happens in the future: a recent registration was decided (and closed) by now at the latest.
    now = timezone.now()
    decided = min(submitted + timedelta(days=1 + seed % 3), now)
    if status == DealStatus.REJECTED:
        reason = "The vendor's direct team already works with this customer."
        _transition(deal, DealStatus.SUBMITTED, status, manager, reason)
        Deal.objects.filter(pk=deal.pk).update(decided_at=decided, decided_by=manager, decision_reason=reason)
        return
    _transition(deal, DealStatus.SUBMITTED, DealStatus.APPROVED, manager, "")
    protected_until = (decided + timedelta(days=90)).date()
    updates = {"decided_at": decided, "decided_by": manager, "protected_until": protected_until}
    if status == DealStatus.WON:
        closed = min(decided + timedelta(days=20 + seed % 60), now)
        updates.update(closed_at=closed, closed_amount=deal.estimated_value)
        _transition(deal, DealStatus.APPROVED, status, rep, "")
    elif status == DealStatus.LOST:
        updates.update(
            closed_at=min(decided + timedelta(days=30), now), lost_reason="The customer chose to wait a year."
        )
        _transition(deal, DealStatus.APPROVED, status, rep, updates["lost_reason"])
    elif status == DealStatus.EXPIRED:
        updates["protected_until"] = (timezone.now() - timedelta(days=3)).date()
        _transition(deal, DealStatus.APPROVED, status, None, "Protection ended without a win.")
    Deal.objects.filter(pk=deal.pk).update(**updates)


def _transition(deal, from_status, to_status, actor, reason) -> None:
    DealEvent.objects.create(
        deal=deal, kind="transition", from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )


def _lines(deal: Deal, products: list[Product], seed: int) -> None:
    if deal.status == DealStatus.DRAFT:
        return
    chosen = [products[seed % 4], products[4 + seed % 3]]
    DealLine.objects.bulk_create(
        DealLine(deal=deal, product=product, quantity=1 + (seed >> index) % 5, unit_list_price=product.list_price)
        for index, product in enumerate(chosen)
    )


def _day_in_month(today, *, months_back: int, day: int):
    """Day `day` of the month `months_back` before today's (never later than today)."""
    month_index = today.year * 12 + today.month - 1 - months_back
    booked = today.replace(year=month_index // 12, month=month_index % 12 + 1, day=day)
    return min(booked, today)


def seed_sales(tenant, products, people_of: dict) -> None:
    """Twelve months of booked revenue per active partner, plus the lines of its won registrations."""
    today = timezone.localdate()
    rows = []
    for partner in Partner.objects.filter(status=PartnerStatus.ACTIVE).order_by("pk"):
        people = people_of.get(partner.pk, [])
        for month in range(12):
            for slot in range(1 + _h(partner.pk, month) % 3):
                seed = _h(tenant.slug, partner.pk, month, slot)
                product = products[seed % len(products)]
                quantity = 1 + seed % 4
                amount = (product.list_price * quantity * Decimal("0.85")).quantize(CENT, ROUND_HALF_UP)
                recurring = product.billing == Product.Billing.RECURRING
                rows.append(
                    SaleRecord(
                        partner=partner,
                        rep=people[seed % len(people)] if people else None,
                        external_id=f"DEMO-{partner.pk}-{month:02d}-{slot}",
                        customer_name=CUSTOMERS[seed % len(CUSTOMERS)],
                        product=product,
                        booked_on=_day_in_month(today, months_back=month, day=1 + seed % 28),
                        amount=amount,
                        currency=tenant.currency,
                        kind=(SaleRecord.Kind.RENEWAL if month > 6 else SaleRecord.Kind.NEW)
                        if recurring
                        else SaleRecord.Kind.ONE_TIME,
                        term_months=12 if recurring else None,
                        recurring_amount=(amount / 12).quantize(CENT, ROUND_HALF_UP) if recurring else None,
                        source=SaleRecord.Source.IMPORT,
                    )
                )
    for deal in Deal.objects.filter(status=DealStatus.WON).prefetch_related("lines__product"):
        lines = list(deal.lines.all())
        # The won amount split over the lines by largest remainder, as close-won books it: records sum to it.
        shares = split_largest_remainder(deal.closed_amount, [line.unit_list_price * line.quantity for line in lines])
        for line, amount in zip(lines, shares, strict=True):
            recurring = line.product.billing == Product.Billing.RECURRING
            rows.append(
                SaleRecord(
                    partner_id=deal.partner_id,
                    rep_id=deal.registered_by_id,
                    deal=deal,
                    external_id=f"deal-{deal.pk}-{line.pk}",
                    customer_name=deal.customer_name,
                    customer_domain=deal.customer_domain,
                    product=line.product,
                    booked_on=timezone.localtime(deal.closed_at).date(),
                    amount=amount,
                    currency=deal.currency,
                    kind=SaleRecord.Kind.NEW if recurring else SaleRecord.Kind.ONE_TIME,
                    term_months=12 if recurring else None,
                    recurring_amount=(amount / 12).quantize(CENT, ROUND_HALF_UP) if recurring else None,
                    source=SaleRecord.Source.DEAL,
                )
            )
    SaleRecord.objects.bulk_create(rows, ignore_conflicts=True)


LEAD_STATES = [
    Lead.Status.NEW,
    Lead.Status.NEW,
    Lead.Status.ASSIGNED,
    Lead.Status.ASSIGNED,
    Lead.Status.ASSIGNED,
    Lead.Status.ACCEPTED,
    Lead.Status.ACCEPTED,
    Lead.Status.REJECTED,
    Lead.Status.CONVERTED,
    Lead.Status.CONVERTED,
    Lead.Status.CLOSED,
]
LEAD_COMPANIES = [
    ("Hooli Health", "healthcare", "migration", "Moving 400 clinicians to the cloud", "Viewed: HIPAA webinar"),
    ("Pied Piper Media", "technology", "app_development", "Needs an integration partner", "Downloaded: API guide"),
    ("Vandelay Industries", "manufacturing", "implementation", "ERP connector rollout", "Visited pricing 3 times"),
    ("Acme Schools", "education", "training", "Training for 60 teachers", "Attended: education day"),
    ("Soylent Retail", "retail", "managed_services", "24/7 operations for 80 stores", "Viewed: retail case study"),
    ("Oceanic Bank", "financial_services", "consulting", "Security review before renewal", "Downloaded: SOC 2 report"),
]


def seed_leads(tenant, manager, people_of: dict) -> None:
    now = timezone.now()
    partners = list(Partner.objects.filter(status=PartnerStatus.ACTIVE).order_by("pk"))
    for index, state in enumerate(LEAD_STATES):
        company, vertical, capability, need, context = LEAD_COMPANIES[index % len(LEAD_COMPANIES)]
        partner = partners[(index * 7) % len(partners)] if partners else None
        lead = Lead.objects.create(
            company_name=f"{company} {index + 1}",
            company_domain=f"{normalise_company_name(company).replace(' ', '-')}-{index + 1}.example",
            contact_name="Robin Prospect",
            contact_email=f"robin{index + 1}@prospect.example",
            country=partner.country if partner else "US",
            region=(partner.regions or [""])[0] if partner else "",
            vertical=vertical,
            capability=capability,
            need=need,
            source_campaign="Spring webinar series",
            context_notes=context,
            estimated_value=Decimal(20000 + index * 5000),
            created_by=manager,
        )
        if state == Lead.Status.NEW or partner is None:
            continue
        assigned = now - timedelta(hours=6 + index * 9)
        outcome = {
            Lead.Status.ASSIGNED: LeadAssignment.Outcome.OPEN,
            Lead.Status.REJECTED: LeadAssignment.Outcome.REJECTED,
        }.get(state, LeadAssignment.Outcome.ACCEPTED)
        accepted = assigned + timedelta(hours=3 + index % 20) if outcome == LeadAssignment.Outcome.ACCEPTED else None
        assignment = LeadAssignment.objects.create(
            lead=lead,
            partner=partner,
            method=LeadAssignment.Method.MANUAL,
            assigned_by=manager,
            outcome=outcome,
            decided_at=accepted or (assigned + timedelta(hours=20) if outcome != "open" else None),
            reason="Outside our service area." if outcome == LeadAssignment.Outcome.REJECTED else "",
        )
        LeadAssignment.objects.filter(pk=assignment.pk).update(assigned_at=assigned)
        lead_status = Lead.Status.NEW if state == Lead.Status.REJECTED else state
        Lead.objects.filter(pk=lead.pk).update(
            status=lead_status,
            partner=None if state == Lead.Status.REJECTED else partner,
            assigned_at=None if state == Lead.Status.REJECTED else assigned,
            accept_due_at=None if state == Lead.Status.REJECTED else assigned + timedelta(hours=48),
            accepted_at=accepted,
            first_action_at=accepted + timedelta(hours=2) if state == Lead.Status.CONVERTED else None,
        )
        if state == Lead.Status.CONVERTED:
            seed = _h(tenant.slug, "lead", index)
            Deal.objects.create(
                partner=partner,
                registered_by=(people_of.get(partner.pk) or [None])[0],
                status=DealStatus.SUBMITTED,
                source=DealSource.VENDOR_LEAD,
                lead=lead,
                customer_name=lead.company_name,
                customer_name_normalised=normalise_company_name(lead.company_name),
                customer_domain=lead.company_domain,
                country=lead.country or "US",
                contact_name=lead.contact_name,
                contact_email=lead.contact_email,
                expected_close_date=(now + timedelta(days=60)).date(),
                estimated_value=lead.estimated_value,
                currency=tenant.currency,
                submitted_at=accepted + timedelta(hours=2),
                review_due_at=accepted + timedelta(days=2),
                notes=f"From the vendor lead ({seed % 97} days of engagement data).",
            )


def seed_deals_demo(tenant, stdout) -> None:
    if not Deal.objects.exists():
        manager = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
        products = seed_catalog(tenant)
        people_of = _people_by_partner()
        seed_deals(tenant, manager, products, people_of)
        seed_leads(tenant, manager, people_of)
        seed_sales(tenant, products, people_of)
    stdout.write(
        f"  {tenant.slug}: {Deal.objects.count()} deal registrations, {Lead.objects.count()} leads, "
        f"{SaleRecord.objects.count()} sale records"
    )
