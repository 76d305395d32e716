"""Writes of the library: libraries, folders, assets of every kind (articles sanitised, files checked by content
and versioned), campaign bundles, and the views and downloads that measure engagement. Every asset write refreshes
its search vector."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from partners.selectors import unknown_program_and_tier_errors
from prm.audit.services import audit_record
from prm.errors import InvalidInput
from prm.files.inspection import inspect_upload
from prm.files.names import download_name, private_name

from ..models import Asset, AssetEvent, AssetKind, AssetVersion, CampaignItem, Folder, Library
from ..sanitise import sanitise_article
from .search import assets_index

MAX_FILE_BYTES = 50 * 1024 * 1024
FILE_KINDS = {"pdf", "pptx", "png", "jpeg", "mp4", "xlsx", "csv"}
ASSET_FIELDS = (
    "library", "folder", "kind", "title", "summary", "tags", "language", "stage", "url", "body", "instructions",
    "co_brandable", "is_public", "visible_program_ids", "visible_tier_ids", "visible_types", "visible_regions",
)  # fmt: skip


@transaction.atomic
def library_create(*, actor, name: str, description: str = "", position: int = 0) -> Library:
    name = (name or "").strip()
    if not name:
        raise InvalidInput.on_fields({"name": [_("Give the library a name.")]})
    if Library.objects.filter(name=name).exists():
        raise InvalidInput.on_fields({"name": [_("A library with this name exists already.")]})
    library = Library.objects.create(name=name, description=description.strip(), position=position)
    audit_record(action="content.library_create", actor=actor, obj=library)
    return library


@transaction.atomic
def folder_create(*, actor, library: Library, name: str, parent: Folder | None = None) -> Folder:
    folder = Folder(library=library, parent=parent, name=(name or "").strip())
    try:
        folder.full_clean(exclude=["tenant"])
    except ValidationError as error:
        raise InvalidInput.on_fields(error.message_dict) from error
    folder.save()
    audit_record(action="content.folder_create", actor=actor, obj=folder, context={"library": library.pk})
    return folder


def _checked(asset: Asset) -> None:
    """Kind by kind: a link needs its address, an article its text (sanitised here), a campaign its instructions;
    only a file can be co-branded. Restrictions must be the vendor's own programs and tiers."""
    errors: dict[str, list[str]] = {}
    asset.tags = sorted({tag.strip().lower() for tag in asset.tags or [] if tag.strip()})
    if asset.kind == AssetKind.LINK and not asset.url:
        errors["url"] = [_("Give the link's address.")]
    if asset.kind == AssetKind.ARTICLE:
        asset.body = sanitise_article(asset.body)
        if not asset.body:
            errors["body"] = [_("Write the article.")]
    elif asset.body:
        errors["body"] = [_("Only an article has a text.")]
    if asset.kind == AssetKind.CAMPAIGN and not asset.instructions.strip():
        errors["instructions"] = [_("Say how to run the campaign.")]
    if asset.co_brandable and asset.kind != AssetKind.FILE:
        errors["co_brandable"] = [_("Only a file (a PDF) can be co-branded.")]
    if asset.folder_id and asset.folder.library_id != asset.library_id:
        errors["folder"] = [_("The folder is in another library.")]
    errors |= unknown_program_and_tier_errors(
        program_ids=asset.visible_program_ids,
        tier_ids=asset.visible_tier_ids,
        program_field="visible_program_ids",
        tier_field="visible_tier_ids",
    )
    try:
        asset.full_clean(exclude=["tenant", "body", *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise InvalidInput.on_fields(errors)


@transaction.atomic
def asset_create(*, actor, upload=None, **values) -> Asset:
    """A draft asset (publish it with `asset_publish`). A file asset needs its first file."""
    asset = Asset(created_by=actor, **{key: value for key, value in values.items() if key in ASSET_FIELDS})
    _checked(asset)
    if (asset.kind == AssetKind.FILE) != (upload is not None):
        raise InvalidInput.on_fields(
            {"file": [_("Upload the file.") if upload is None else _("Only a file asset takes a file.")]}
        )
    asset.save()
    if upload is not None:
        asset_version_add(actor=actor, asset=asset, upload=upload)
    assets_index([asset.pk])
    audit_record(action="content.asset_create", actor=actor, obj=asset, context={"kind": asset.kind})
    return asset


@transaction.atomic
def asset_update(*, actor, asset: Asset, **values) -> Asset:
    """Change an asset's contents, audience or place (not its kind)."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    changes = {key: value for key, value in values.items() if key in ASSET_FIELDS and key != "kind"}
    before = {key: str(getattr(asset, key)) for key in changes}
    for key, value in changes.items():
        setattr(asset, key, value)
    _checked(asset)
    asset.save()
    assets_index([asset.pk])
    audit_record(
        action="content.asset_update",
        actor=actor,
        obj=asset,
        changes={key: [before[key], str(getattr(asset, key))] for key in changes},
    )
    return asset


def _set_published(actor, asset: Asset, published: bool) -> Asset:
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.is_published != published:
        asset.is_published = published
        asset.save(update_fields=["is_published", "updated_at"])
        audit_record(action=f"content.asset_{'publish' if published else 'unpublish'}", actor=actor, obj=asset)
    return asset


@transaction.atomic
def asset_publish(*, actor, asset: Asset) -> Asset:
    return _set_published(actor, asset, True)


@transaction.atomic
def asset_unpublish(*, actor, asset: Asset) -> Asset:
    return _set_published(actor, asset, False)


@transaction.atomic
def asset_version_add(*, actor, asset: Asset, upload, note: str = "") -> AssetVersion:
    """A new version of a file asset: checked by its content (413/415 otherwise), stored under a generated name;
    the earlier versions stay."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.kind != AssetKind.FILE:
        raise InvalidInput.on_fields({"file": [_("Only a file asset takes a file.")]})
    inspected = inspect_upload(upload, allowed=FILE_KINDS, max_bytes=MAX_FILE_BYTES)
    number = (AssetVersion.objects.filter(asset=asset).aggregate(last=Max("number"))["last"] or 0) + 1
    version = AssetVersion(
        asset=asset,
        number=number,
        original_name=download_name(getattr(upload, "name", ""), inspected.extension, fallback="asset"),
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        note=(note or "").strip(),
        uploaded_by=actor,
    )
    upload.seek(0)
    version.file.save(private_name(str(asset.tenant_id), inspected.extension), upload, save=True)
    audit_record(
        action="content.asset_version_add",
        actor=actor,
        obj=asset,
        context={"version": number, "size": inspected.size, "sha256": inspected.sha256},
    )
    return version


@transaction.atomic
def campaign_items_set(*, actor, campaign: Asset, items: list[Asset]) -> list[CampaignItem]:
    """What a campaign in a box bundles, in this order (replacing the earlier list)."""
    if campaign.kind != AssetKind.CAMPAIGN:
        raise InvalidInput.on_fields({"items": [_("Only a campaign in a box bundles assets.")]})
    if any(item.pk == campaign.pk or item.kind == AssetKind.CAMPAIGN for item in items):
        raise InvalidInput.on_fields({"items": [_("A campaign bundles files, links and articles, not campaigns.")]})
    CampaignItem.objects.filter(campaign=campaign).delete()
    bundled = CampaignItem.objects.bulk_create(
        CampaignItem(campaign=campaign, item=item, position=position) for position, item in enumerate(items)
    )
    audit_record(
        action="content.campaign_items_set", actor=actor, obj=campaign, context={"items": [i.pk for i in items]}
    )
    return bundled


def asset_event_record(*, asset: Asset, kind: str, user=None, partner=None) -> AssetEvent:
    """A view or a download, by whom and for which partner (engagement, download counts, lead context)."""
    return AssetEvent.objects.create(
        asset=asset, kind=kind, user=user if getattr(user, "is_authenticated", False) else None, partner=partner
    )
