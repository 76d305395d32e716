"""Who sees which asset, decided in one place for pages, search, the API and downloads alike.

- The vendor's staff see every asset, drafts too.
- A partner's users see the published assets that are public or whose restrictions all match their company
  (`content.rules.is_for`, here as one SQL condition).
- Anyone else (the recruitment pages, without login) sees the published public assets.
"""

from django.db.models import Q, QuerySet

from partners.permissions import request_partner
from prm.accounts.permissions import request_can

from ..models import Asset

PUBLISHED_PUBLIC = Q(is_published=True, is_public=True)


def audience_condition(partner) -> Q:
    """`content.rules.is_for` as a condition on the restriction columns of any `Targeted` model (assets, courses,
    announcements)."""
    tier = Q(visible_tier_ids=[])
    if partner.tier_id is not None:
        tier |= Q(visible_tier_ids__contains=[partner.tier_id])
    return (
        (Q(visible_program_ids=[]) | Q(visible_program_ids__contains=[partner.program_id]))
        & tier
        & (Q(visible_types=[]) | Q(visible_types__overlap=list(partner.types or [])))
        & (Q(visible_regions=[]) | Q(visible_regions__overlap=list(partner.regions or [])))
    )


def assets_for_partner(partner) -> QuerySet[Asset]:
    return Asset.objects.filter(PUBLISHED_PUBLIC | (Q(is_published=True) & audience_condition(partner)))


def public_assets() -> QuerySet[Asset]:
    return Asset.objects.filter(PUBLISHED_PUBLIC)


def assets_visible_to(request) -> QuerySet[Asset]:
    if request_can(request, "content.view_all"):
        return Asset.objects.all()
    partner = request_partner(request) if request_can(request, "content.use") else None
    if partner is None:
        return public_assets()
    return assets_for_partner(partner)
