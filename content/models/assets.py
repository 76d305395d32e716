from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .audience import Targeted
from .library import Folder, Library


class AssetKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("External link")
    ARTICLE = "article", _("Knowledge article")
    CAMPAIGN = "campaign", _("Campaign in a box")


class Stage(models.TextChoices):
    """Where in the partner's journey an asset helps most (what the home page recommends)."""

    ONBOARDING = "onboarding", _("Onboarding")
    SELLING = "selling", _("Selling")
    SERVICING = "servicing", _("Servicing")


class Asset(Targeted, TenantOwned):
    """One piece of content: a file (with versions), an external link, a knowledge article written in the portal
    (sanitised HTML) or a campaign in a box (a bundle of assets with instructions).

    Visibility: a public asset is shown to anyone, also on the recruitment pages without login; otherwise a
    published asset is shown to the partners that match every restriction set (an empty list means any), and the
    vendor's staff see everything. `content.selectors.assets_visible_to` is the one place this is decided."""

    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="assets", db_index=False)
    folder = models.ForeignKey(
        Folder, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssetKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=_("tags"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    # Empty: useful at every stage.
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    body = models.TextField(_("article"), blank=True)  # sanitised HTML, written through the services only
    instructions = models.TextField(_("instructions"), blank=True)  # a campaign in a box: how to run it
    co_brandable = models.BooleanField(_("co-brandable"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    is_public = models.BooleanField(_("public (also without login)"), default=False)
    # Title, tags, summary and article text, weighted in that order, in the asset's language (set by the services).
    search = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        indexes = [
            models.Index(fields=["tenant", "library", "folder"], name="content_asset_library_idx"),
            models.Index(fields=["tenant", "is_published", "stage"], name="content_asset_stage_idx"),
            GinIndex(
                fields=["tenant", "search"], opclasses=["int8_ops", "tsvector_ops"], name="content_asset_search_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AssetVersion(TenantOwned):
    """One uploaded file of a file asset; replacing the file adds a version and keeps the earlier ones."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="versions", db_index=False)
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="content", max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("what changed"), max_length=240, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["asset", "-number"]
        verbose_name = _("asset version")
        verbose_name_plural = _("asset versions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "asset", "number"], name="content_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.asset} v{self.number}"


class CampaignItem(TenantOwned):
    """An asset bundled in a campaign in a box, in the campaign's order."""

    campaign = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="items", db_index=False)
    item = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+", db_index=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("campaign item")
        verbose_name_plural = _("campaign items")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "campaign", "item"], name="content_campaign_item_unique")
        ]


class AssetEvent(TenantOwned):
    """A view or a download of an asset, by whom and for which partner: engagement, download counts, lead context."""

    class Kind(models.TextChoices):
        VIEW = "view", _("View")
        DOWNLOAD = "download", _("Download")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("asset view or download")
        verbose_name_plural = _("asset views and downloads")
        indexes = [
            models.Index(fields=["tenant", "asset", "kind"], name="content_event_asset_idx"),
            models.Index(fields=["tenant", "partner", "occurred_at"], name="content_event_partner_idx"),
        ]
