"""Reads of the library surfaces: download and view counts for the vendor, the version a reader may download, the
recommendations of the partner home page, and the browse tree."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from prm.accounts.permissions import request_can

from ..models import Asset, AssetEvent, AssetKind, AssetVersion, CampaignItem, Folder, Library
from ..rules import journey_stage, recommended_stages
from .visibility import assets_for_partner, assets_visible_to

RECOMMENDATIONS = 5


def _event_count(kind: str) -> Coalesce:
    counted = (
        AssetEvent.objects.filter(asset=OuterRef("pk"), kind=kind)
        .order_by()
        .values("asset")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_event_counts(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """`assets` annotated with `views` and `downloads` (all time), in the same query: for the vendor's lists."""
    return assets.annotate(views=_event_count(AssetEvent.Kind.VIEW), downloads=_event_count(AssetEvent.Kind.DOWNLOAD))


def sees_counts(request) -> bool:
    """Download and view counts are the vendor's figures; partners never see them."""
    return request_can(request, "content.view_all")


def may_fetch_old_versions(request) -> bool:
    """Vendor staff may download every version of a file; partners only the current one (an earlier version was
    replaced for a reason: outdated prices, an old logo)."""
    return request_can(request, "content.view_all")


def downloadable_version(request, asset: Asset, *, number: int | None = None) -> AssetVersion | None:
    """The version of a file asset (already found in `assets_visible_to(request)`) that `request` may download: the
    latest by default, `number` for the vendor's staff. None when there is none to give."""
    if asset.kind != AssetKind.FILE:
        return None
    versions = AssetVersion.objects.filter(asset=asset)
    if number is None:
        return versions.order_by("-number").first()
    if not may_fetch_old_versions(request):
        latest = versions.order_by("-number").values_list("number", flat=True).first()
        if number != latest:
            return None
    return versions.filter(number=number).first()


def asset_versions(asset: Asset) -> QuerySet[AssetVersion]:
    return AssetVersion.objects.filter(asset=asset).select_related("uploaded_by").order_by("-number")


def assets_with_parts(assets) -> list[Asset]:
    """A page of assets, each with `latest_version` (a file's current version) and `item_ids` (a campaign's bundled
    assets, in order): two queries whatever the page's size."""
    assets = list(assets)
    latest: dict[int, AssetVersion] = {}
    versions = AssetVersion.objects.filter(asset__in=[a for a in assets if a.kind == AssetKind.FILE])
    for version in versions.order_by("asset_id", "-number").distinct("asset_id"):
        latest[version.asset_id] = version
    items: dict[int, list[int]] = {}
    rows = CampaignItem.objects.filter(campaign__in=[a for a in assets if a.kind == AssetKind.CAMPAIGN])
    for campaign_id, item_id in rows.order_by("campaign", "position", "pk").values_list("campaign", "item"):
        items.setdefault(campaign_id, []).append(item_id)
    for asset in assets:
        asset.latest_version = latest.get(asset.pk)
        asset.item_ids = items.get(asset.pk, [])
    return assets


def campaign_items_visible(request, campaign: Asset) -> QuerySet[Asset]:
    """The assets a campaign in a box bundles, in its order, as far as `request` may see them."""
    positions = CampaignItem.objects.filter(campaign=campaign, item=OuterRef("pk")).values("position")[:1]
    return (
        assets_visible_to(request)
        .filter(pk__in=CampaignItem.objects.filter(campaign=campaign).values("item"))
        .annotate(position=Subquery(positions))
        .order_by("position", "pk")
    )


def libraries_with_counts(assets: QuerySet[Asset]) -> QuerySet[Library]:
    """Every library with how many of `assets` (the reader's visible ones) it holds."""
    return Library.objects.annotate(
        asset_count=Coalesce(
            Subquery(
                assets.filter(library=OuterRef("pk")).order_by().values("library").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
    ).order_by("position", "name")


def folders_of(library: Library) -> list[Folder]:
    return list(Folder.objects.filter(library=library).order_by("position", "name"))


def recommended_assets(*, partner, user, language: str = "", limit: int = RECOMMENDATIONS) -> QuerySet[Asset]:
    """Up to `limit` published assets for the partner's journey stage (`content.rules.journey_stage`), among the ones
    it may see, skipping those the user already opened: the ones in the reader's `language` first (when given), then
    the ones aimed at its program or tier, then by how well the stage fits (`content.rules.recommended_stages`),
    newest first. One query."""
    stages = recommended_stages(journey_stage(partner.status))
    seen = AssetEvent.objects.filter(user=user).values("asset_id") if user is not None else []
    stage_rank = Case(
        *(When(stage=stage, then=Value(rank)) for rank, stage in enumerate(stages)), output_field=IntegerField()
    )
    aimed = Q(visible_program_ids__contains=[partner.program_id])
    if partner.tier_id is not None:
        aimed |= Q(visible_tier_ids__contains=[partner.tier_id])
    targeted = Case(When(aimed, then=Value(0)), default=Value(1), output_field=IntegerField())
    readable = Case(When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        assets_for_partner(partner)
        .filter(stage__in=stages)
        .exclude(pk__in=seen)
        .annotate(language_rank=readable, stage_rank=stage_rank, targeted_rank=targeted)
        .order_by("language_rank", "targeted_rank", "stage_rank", "-created_at", "-pk")[:limit]
    )
