"""Demo data for the partners app: programs with tiers, checklists and agreements, ~25 partners
across types, regions, statuses and tiers with their people, and a few pending applications.

Idempotent: programs are keyed by slug, partners by domain, applications by contact email.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from prm.accounts.models import Membership, User
from prm.accounts.roles import Role
from prm.accounts.services import membership_grant
from prm.ops.demo import demo_user_ensure

from .models import (
    Agreement,
    AgreementAcceptance,
    BusinessPlan,
    ChecklistStepTemplate,
    OnboardingStep,
    Partner,
    PartnerApplication,
    PartnerStatus,
    PartnerStatusChange,
    PartnerUser,
    Program,
    Tier,
    TierCriterion,
)
from .profile import normalise_domain
from .services import business_plan_create, business_plan_goal_set, partner_create, qbr_note_add, tier_evaluate
from .services.tiers import tenant_today
from .step_kinds import ACCEPT_AGREEMENT, COMPLETE_PROFILE, INVITE_REP, MANUAL, UPLOAD_LOGO

D = Decimal
# (name, rank, product %, deal-reg %, rebate ×, MDF/quarter, MDF cap %, perks, criteria)
RESELLER_TIERS = [
    ("Registered", 0, D("5"), D("3"), D("1.00"), D("0"), D("0"), ["Partner portal and sales training"], {}),
    ("Silver", 1, D("10"), D("5"), D("1.10"), D("2500"), D("50"), ["Listed in the partner locator"],
     {"onboarding_complete": D("1"), "days_since_joining": D("90")}),
    ("Gold", 2, D("15"), D("8"), D("1.25"), D("7500"), D("50"), ["Early beta access", "Two event tickets"],
     {"onboarding_complete": D("1"), "days_since_joining": D("180"), "active_reps": D("2")}),
    ("Platinum", 3, D("20"), D("10"), D("1.50"), D("20000"), D("75"),
     ["Dedicated partner engineer", "Four event tickets", "Joint press release"],
     {"onboarding_complete": D("1"), "days_since_joining": D("365"), "active_reps": D("3")}),
]  # fmt: skip
SOLUTIONS_TIERS = [
    ("Registered", 0, D("0"), D("3"), D("1.00"), D("0"), D("0"), ["Implementation playbooks"], {}),
    ("Certified", 1, D("5"), D("5"), D("1.15"), D("5000"), D("50"), ["Certified badge for your website"],
     {"onboarding_complete": D("1"), "active_reps": D("1")}),
    ("Premier", 2, D("10"), D("8"), D("1.30"), D("15000"), D("60"), ["Leads passed by the vendor first"],
     {"onboarding_complete": D("1"), "active_reps": D("2"), "days_since_joining": D("270")}),
]  # fmt: skip
REFERRAL_TIERS = [
    ("Affiliate", 0, D("0"), D("0"), D("1.00"), D("0"), D("0"), ["Referral links and banners"], {}),
    ("Pro affiliate", 1, D("0"), D("0"), D("1.20"), D("1000"), D("50"), ["Higher revenue share"],
     {"onboarding_complete": D("1"), "days_since_joining": D("60")}),
]  # fmt: skip
PILOT_TIERS = [("Trial", 0, D("5"), D("0"), D("1.00"), D("0"), D("0"), ["90-day trial of the program"], {})]

PROGRAMS = {
    "acme": [
        ("reseller", "Reseller", Program.Kind.RESELLER, RESELLER_TIERS, False),
        ("solutions", "Solutions", Program.Kind.SOLUTIONS, SOLUTIONS_TIERS, True),
        ("referral", "Referral", Program.Kind.REFERRAL, REFERRAL_TIERS, False),
    ],
    "globex": [
        ("reseller", "Reseller", Program.Kind.RESELLER, RESELLER_TIERS, False),
        ("app", "App partner", Program.Kind.APP, SOLUTIONS_TIERS, True),
        ("pilot", "Pilot", Program.Kind.PILOT, PILOT_TIERS, False),
    ],
}
SUMMARIES = {
    Program.Kind.RESELLER: "Resell our subscriptions with margin, deal protection and co-marketing funds.",
    Program.Kind.SOLUTIONS: "Implement, integrate and support our platform for your customers.",
    Program.Kind.REFERRAL: "Recommend us and earn a share of every subscription you refer.",
    Program.Kind.APP: "Build apps on our platform and sell them to our customers.",
    Program.Kind.PILOT: "Try the partner program for 90 days before you commit.",
}
DESCRIPTION = (
    "Partners get a named channel manager, sales and technical training, demo licences and a place in the "
    "partner locator. Tiers follow your results and are reviewed every day; the criteria are shown in the portal."
)
RULES_OF_ENGAGEMENT = (
    "Register every opportunity before the first proposal. An approved registration protects you for 90 days "
    "(extendable once). The vendor's direct team does not pursue a registered opportunity. Conflicts are "
    "decided by the channel manager within five working days."
)
CHECKLIST = [
    (ACCEPT_AGREEMENT, "Accept the partner agreement", True),
    (COMPLETE_PROFILE, "Complete your company profile", True),
    (UPLOAD_LOGO, "Upload your logo", False),
    (INVITE_REP, "Invite your first sales rep", True),
    (MANUAL, "Kick-off call with your channel manager", True),
]


@dataclass(frozen=True)
class DemoPartner:
    name: str
    country: str
    city: str
    regions: tuple
    types: tuple
    verticals: tuple
    capabilities: tuple
    size: str

    @classmethod
    def from_row(cls, row: str) -> "DemoPartner":
        name, country, city, regions, types, verticals, capabilities, size = row.split("|")
        lists = [
            tuple(value for value in text.split(",") if value) for text in (regions, types, verticals, capabilities)
        ]
        return cls(name, country, city, *lists, size)

    @property
    def slug(self) -> str:
        return "-".join("".join(ch for ch in word if ch.isalnum()) for word in self.name.lower().split())


# name | country | city | regions | types | verticals | capabilities | size
PARTNER_ROWS = [
    "Nimbus IT|NL|Utrecht|europe|reseller,msp|financial_services|licensing,managed_services|51-200",
    "Bluebird Solutions|US|Austin|north_america|systems_integrator|healthcare|implementation,migration|201-1000",
    "Cumbre Digital|ES|Madrid|europe,latin_america|reseller|retail|licensing,support|11-50",
    "Falcon Cloud Services|AE|Dubai|middle_east_africa|msp|public_sector|managed_services,support|51-200",
    "Tulip Apps|NL|Amsterdam|europe|isv|technology|app_development|11-50",
    "Northwind Integrators|CA|Toronto|north_america|systems_integrator,reseller|manufacturing|implementation,consulting|201-1000",  # noqa: E501
    "Andes Consulting|CL|Santiago|latin_america|systems_integrator|education|consulting,training|11-50",
    "Oasis Technology|SA|Riyadh|middle_east_africa|reseller,distributor|public_sector,financial_services|licensing|1000+",  # noqa: E501
    "Sakura Systems|JP|Osaka|asia_pacific|reseller|manufacturing|licensing,support|201-1000",
    "Kangaroo MSP|AU|Sydney|asia_pacific|msp|healthcare|managed_services,migration|51-200",
    "Polder Data|NL|Rotterdam|europe|systems_integrator|manufacturing|migration,implementation|51-200",
    "TechTalk Reviews|US|Denver|north_america|referral|technology||1-10",
    "Iberia Cloud|PT|Lisbon|europe|reseller,msp|retail,public_sector|licensing,managed_services|11-50",
    "Desert Rose IT|EG|Cairo|middle_east_africa|reseller|education|licensing,training|11-50",
    "Maple Leaf Apps|CA|Vancouver|north_america|isv|financial_services|app_development|11-50",
    "Aurora Partners|SE|Stockholm|europe|systems_integrator,msp|healthcare|implementation,managed_services|51-200",
    "Pampas Tech|AR|Buenos Aires|latin_america|reseller|retail|licensing|11-50",
    "Lion City Cloud|SG|Singapore|asia_pacific|distributor|technology|licensing,support|201-1000",
    "Blog of Bytes|GB|Leeds|europe|referral|technology||1-10",
    "Rhine Systems|DE|Cologne|europe|reseller,systems_integrator|manufacturing,public_sector|implementation,licensing|201-1000",  # noqa: E501
    "Gulf Digital|QA|Doha|middle_east_africa|msp|financial_services|managed_services|51-200",
    "Prairie Networks|US|Chicago|north_america|msp,reseller|education,healthcare|managed_services,support|51-200",
    "Fjord Analytics|NO|Oslo|europe|isv|non_profit|app_development,consulting|1-10",
    "Samba Integradores|BR|São Paulo|latin_america|systems_integrator|retail,manufacturing|implementation,training|201-1000",  # noqa: E501
    "Kiwi Cloud Co|NZ|Auckland|asia_pacific|reseller|non_profit,education|licensing,training|1-10",
    "Atlas Distribution|MA|Casablanca|middle_east_africa,europe|distributor|retail|licensing|1000+",
    "Linden Apps|DE|Berlin|europe|isv|healthcare|app_development|11-50",
    "Harbor Security|US|Boston|north_america|msp|financial_services|managed_services,consulting|51-200",
    "Mekong Digital|VN|Ho Chi Minh City|asia_pacific|reseller,systems_integrator|manufacturing|implementation|51-200",
    "Alpine Referrals|CH|Zurich|europe|referral|financial_services||1-10",
]
PARTNERS = [DemoPartner.from_row(row) for row in PARTNER_ROWS]
# Acme works with the first 25, Globex with the last 25: 20 companies (and their people) work with both.
PARTNERS_OF = {"acme": PARTNERS[:25], "globex": PARTNERS[5:]}

# company | website | contact | country | types | regions | expected revenue | status
APPLICATIONS = [
    "Horizon Telecom|https://horizon-telecom.example|Hana Horizon|IE|reseller|europe|400000|submitted",
    "Vega Apps|https://vega-apps.example|Victor Vega|FR|isv|europe|120000|submitted",
    "Polder Data Belgium|https://www.polder-data.example/be|Bram Polder|BE|reseller|europe|90000|submitted",
    "Condor Soluciones|https://condor-soluciones.example|Carla Condor|MX|systems_integrator|latin_america|250000|info_requested",  # noqa: E501
]


def _program_for(spec: DemoPartner, programs: dict[str, Program]) -> Program:
    kinds = {program.kind: program for program in programs.values()}
    if "referral" in spec.types:
        return kinds.get(Program.Kind.REFERRAL) or kinds.get(Program.Kind.PILOT) or kinds[Program.Kind.RESELLER]
    if "isv" in spec.types or "systems_integrator" in spec.types:
        return kinds.get(Program.Kind.SOLUTIONS) or kinds.get(Program.Kind.APP) or kinds[Program.Kind.RESELLER]
    return kinds[Program.Kind.RESELLER]


def _status_for(index: int) -> str:
    if index in (4, 11, 17, 23):
        return PartnerStatus.ONBOARDING
    if index == 14:
        return PartnerStatus.SUSPENDED
    if index == 21:
        return PartnerStatus.OFFBOARDED
    return PartnerStatus.ACTIVE


def seed_programs(tenant) -> dict[str, Program]:
    programs = {}
    now = timezone.now()
    for position, (slug, name, kind, tiers, needs_approval) in enumerate(PROGRAMS[tenant.slug]):
        program, created = Program.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "summary": SUMMARIES[kind],
                "description": DESCRIPTION,
                "rules_of_engagement": RULES_OF_ENGAGEMENT,
                "promotions_need_approval": needs_approval,
                "position": position,
                "application_questions": [
                    {"key": "customers", "label": "Which customers do you serve today?", "required": True},
                    {"key": "certifications", "label": "Which certifications does your team hold?", "required": False},
                ],
            },
        )
        programs[slug] = program
        if not created:
            continue
        for tier_name, rank, product, deal_reg, rebate, mdf, cap, perks, criteria in tiers:
            tier = Tier.objects.create(
                program=program,
                name=tier_name,
                rank=rank,
                product_discount_pct=product,
                deal_registration_discount_pct=deal_reg,
                rebate_multiplier=rebate,
                mdf_allocation_per_quarter=mdf,
                mdf_reimbursement_cap_pct=cap,
                perks=perks,
            )
            TierCriterion.objects.bulk_create(
                TierCriterion(tier=tier, metric=metric, threshold=threshold) for metric, threshold in criteria.items()
            )
        ChecklistStepTemplate.objects.bulk_create(
            ChecklistStepTemplate(program=program, kind=kind_key, title=title, is_required=required, position=index)
            for index, (kind_key, title, required) in enumerate(CHECKLIST)
        )
        Agreement.objects.create(
            program=program,
            version=1,
            title=f"{name} program agreement",
            body=f"{tenant.name} and the partner agree to the {name} program terms and its rules of engagement.",
            published_at=now - timedelta(days=800),
        )
    return programs


def _ensure_partner_user(partner: Partner, email: str, full_name: str, role: str, password: str) -> User:
    user = demo_user_ensure(email, full_name, password)
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        membership = membership_grant(tenant=partner.tenant, actor=None, user=user, role=role)
    if not PartnerUser.objects.filter(membership=membership).exists():
        PartnerUser.objects.create(partner=partner, membership=membership)
    return user


def seed_partner(tenant, index: int, spec: DemoPartner, programs: dict[str, Program], manager, password) -> Partner:
    domain = f"{spec.slug}.example"
    partner = Partner.objects.filter(domain=domain).first()
    if partner is not None:
        return partner
    program = _program_for(spec, programs)
    status = _status_for(index)
    joined_days_ago = 30 + (index * 47) % 700 if status != PartnerStatus.ONBOARDING else 5 + index * 2
    partner = partner_create(
        actor=None,
        name=spec.name,
        program=program,
        website=f"https://{domain}",
        status=PartnerStatus.ONBOARDING,
        channel_manager=manager,
        description=f"{spec.name} serves {spec.city} and beyond.",
        country=spec.country,
        city=spec.city,
        regions=list(spec.regions),
        types=list(spec.types),
        verticals=list(spec.verticals),
        capabilities=list(spec.capabilities),
        company_size=spec.size,
        business_model="Subscriptions and services",
    )
    reps = 1 + index % 3
    first_word = spec.name.split()[0]
    owner = _ensure_partner_user(partner, f"owner@{domain}", f"{first_word} Owner", Role.PARTNER_ADMIN, password)
    for number in range(1, reps + 1):
        _ensure_partner_user(partner, f"rep{number}@{domain}", f"{first_word} Rep {number}", Role.PARTNER_REP, password)

    joined = timezone.now() - timedelta(days=joined_days_ago)
    steps = OnboardingStep.objects.filter(partner=partner)
    if status == PartnerStatus.ONBOARDING:
        # Part-way through: the agreement is accepted, the rest is open.
        steps.filter(kind=ACCEPT_AGREEMENT).update(completed_at=joined + timedelta(days=1), completed_by=owner)
        AgreementAcceptance.objects.create(agreement=program.agreements.first(), partner=partner, user=owner)
        Partner.objects.filter(pk=partner.pk).update(joined_at=joined, status_changed_at=joined)
        return partner
    onboarded = joined + timedelta(days=20 + index % 40)
    steps.update(completed_at=onboarded, completed_by=owner, completion_note="demo")
    AgreementAcceptance.objects.create(agreement=program.agreements.first(), partner=partner, user=owner)
    tiers = list(program.tiers.order_by("rank"))
    tier = tiers[min(index % 4, len(tiers) - 1)]
    history = [PartnerStatus.ACTIVE] + ([status] if status != PartnerStatus.ACTIVE else [])
    before = PartnerStatus.ONBOARDING
    for to_status in history:
        PartnerStatusChange.objects.create(
            partner=partner, from_status=before, to_status=to_status, reason="" if to_status == "active" else "Demo"
        )
        before = to_status
    Partner.objects.filter(pk=partner.pk).update(
        status=status, tier=tier, joined_at=joined, onboarded_at=onboarded, status_changed_at=onboarded
    )
    return partner


def seed_applications(tenant, programs: dict[str, Program]) -> None:
    first_program = next(iter(programs.values()))
    for row in APPLICATIONS:
        company, website, contact, country, types, regions, revenue, status = row.split("|")
        types, regions = types.split(","), regions.split(",")
        email = f"{contact.split()[0].lower()}@{normalise_domain(website)}"
        if PartnerApplication.objects.filter(contact_email=email).exists():
            continue
        domain = normalise_domain(website)
        PartnerApplication.objects.create(
            program=first_program,
            company_name=company,
            website=website,
            domain=domain,
            contact_name=contact,
            contact_email=email,
            country=country,
            types=types,
            regions=regions,
            verticals=["technology"],
            expected_annual_revenue=Decimal(revenue),
            answers={"customers": "Mid-market companies in our region."},
            status=status,
            info_request="Which certifications does your team hold?" if status == "info_requested" else "",
            duplicate_of_partner=Partner.objects.filter(domain=domain).first(),
        )


def seed_business_plans(manager) -> None:
    """A joint plan with goals and a QBR for the first few active partners."""
    year = timezone.localdate().year
    for partner in Partner.objects.filter(status=PartnerStatus.ACTIVE).order_by("pk")[:3]:
        if BusinessPlan.objects.filter(partner=partner).exists():
            continue
        plan = business_plan_create(
            partner=partner,
            actor=manager,
            title=f"{partner.name} · {year}",
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            summary="Grow the team and reach the next tier.",
        )
        business_plan_goal_set(plan=plan, actor=manager, metric="active_reps", target=4, note="Hire two sellers")
        business_plan_goal_set(plan=plan, actor=manager, metric="onboarding_complete", target=1)
        qbr_note_add(
            plan=plan,
            actor=manager,
            held_on=date(year, 4, 15),
            notes="Pipeline reviewed; joint webinar planned for next quarter.",
        )


def seed_partners(tenant, stdout) -> None:
    password = settings.PRM_DEMO_PASSWORD
    programs = seed_programs(tenant)
    manager = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    for index, spec in enumerate(PARTNERS_OF[tenant.slug]):
        seed_partner(tenant, index, spec, programs, manager, password)
    seed_applications(tenant, programs)
    seed_business_plans(manager)
    # Today's evaluation moves partners to the tiers their figures earn (once a day, like the beat task).
    tier_evaluate(today=tenant_today())
    example = Partner.objects.filter(status=PartnerStatus.ACTIVE).order_by("pk").first()
    stdout.write(
        f"  {tenant.slug}: {Program.objects.count()} programs, {Partner.objects.count()} partners, "
        f"{PartnerApplication.objects.count()} applications; partner logins owner@<partner>.example "
        f"and rep1@…, e.g. owner@{example.domain}"
    )
