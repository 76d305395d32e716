"""Reads of registrations: lists scoped by role, one deal's pricing, conflict evidence, history, recipients."""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Now

from partners.selectors import partner_people
from prm.accounts.models import Membership
from prm.accounts.roles import Role

from ..models import Deal, DealConflict, DealEvent, DealLine, DealRules, DealStatus
from ..pricing import Discounts, LinePrice, PriceTotals, price_line, price_totals
from .rules import deal_rules_by_program, deal_rules_for

# A submitted registration whose review time has run out.
REVIEW_OVERDUE = Q(status=DealStatus.SUBMITTED, review_due_at__lt=Now())
# Roles that decide on registrations when the partner has no channel manager of its own.
MANAGER_ROLES = (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER)


def deal_list(*, partner=None, registered_by=None) -> QuerySet[Deal]:
    """Registrations (all, or one partner's, or one rep's) with `has_conflicts` and `review_overdue`."""
    deals = Deal.objects.select_related("partner", "registered_by").annotate(
        has_conflicts=Exists(DealConflict.objects.filter(deal=OuterRef("pk"))),
        review_overdue=ExpressionWrapper(REVIEW_OVERDUE, output_field=BooleanField()),
    )
    if partner is not None:
        deals = deals.filter(partner=partner)
    if registered_by is not None:
        deals = deals.filter(registered_by=registered_by)
    return deals


def with_pricing_data(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """What `deal_pricing` reads, in a fixed number of queries: tier, program and lines with products."""
    return deals.select_related("partner__tier", "partner__program").prefetch_related(
        Prefetch("lines", queryset=DealLine.objects.select_related("product").order_by("pk"))
    )


def with_conflict_evidence(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    return deals.prefetch_related(
        Prefetch(
            "conflicts",
            queryset=DealConflict.objects.select_related("other_deal__partner", "house_account").order_by(
                "-score", "pk"
            ),
        )
    )


def deal_detail(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    return with_conflict_evidence(with_pricing_data(deals)).select_related("decided_by")


@dataclass(frozen=True)
class DealPricing:
    discounts: Discounts
    lines: list[tuple[DealLine, LinePrice]]
    totals: PriceTotals


def deal_discounts(deal: Deal, rules: DealRules) -> Discounts:
    tier = deal.partner.tier
    return Discounts.of(
        tier_pct=tier.product_discount_pct if tier else 0,
        program_registration_pct=rules.registration_discount_pct,
        tier_registration_pct=tier.deal_registration_discount_pct if tier else 0,
        special_pct=deal.special_discount_pct or 0,
    )


def deal_pricing(deal: Deal, *, rules: DealRules | None = None) -> DealPricing:
    """The discount stack and net of each line, and the totals (see deals.pricing)."""
    rules = rules if rules is not None else deal_rules_for(deal.partner.program_id)
    discounts = deal_discounts(deal, rules)
    lines = [
        (line, price_line(unit_list_price=line.unit_list_price, quantity=line.quantity, discounts=discounts))
        for line in deal.lines.all()
    ]
    return DealPricing(discounts, lines, price_totals(price for _line, price in lines))


def deals_pricing(deals) -> dict[int, DealPricing]:
    """{deal id: pricing} for a page of deals loaded `with_pricing_data` (one rules query)."""
    deals = list(deals)
    rules = deal_rules_by_program(deal.partner.program_id for deal in deals)
    return {deal.pk: deal_pricing(deal, rules=rules[deal.partner.program_id]) for deal in deals}


def deal_history(deal: Deal) -> QuerySet[DealEvent]:
    return DealEvent.objects.filter(deal=deal).select_related("actor").order_by("created_at", "pk")


# --- who hears about a registration ------------------------------------------------------------------
def deal_partner_recipients(deal: Deal) -> list:
    """The registering rep and the partner's active partner admins."""
    admins = [
        person.membership.user
        for person in partner_people(deal.partner)
        if person.membership.is_active and person.membership.role == Role.PARTNER_ADMIN
    ]
    return [deal.registered_by, *admins]


def deal_vendor_recipients(deal: Deal) -> list:
    """The partner's channel manager; when it has none, every active tenant admin and channel manager."""
    if deal.partner.channel_manager_id:
        return [deal.partner.channel_manager]
    managers = Membership.objects.filter(role__in=MANAGER_ROLES, is_active=True).select_related("user")
    return [membership.user for membership in managers.order_by("user__email")]
