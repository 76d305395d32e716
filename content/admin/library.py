"""Admin of the library: libraries with their folders, assets written through the services (articles sanitised,
files checked and versioned, search vectors refreshed, campaign bundles set), publish and unpublish actions,
download counts in the list (one query per page), and read-only file versions with an authorised download."""

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.files.responses import attachment_response
from prm.portal.views import form_error_fields
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantInlineMixin, TenantModelAdmin, run_for_each

from ..models import Asset, AssetKind, AssetVersion, CampaignItem, Folder, Library
from ..selectors import assets_visible_to, with_event_counts
from ..services import (
    asset_create,
    asset_publish,
    asset_unpublish,
    asset_update,
    asset_version_add,
    campaign_items_set,
    library_create,
    library_update,
)
from ..services.assets import ASSET_FIELDS

VIEW, MANAGE = "content.view_all", "content.manage"


class ServiceForm(forms.ModelForm):
    """Saved by a service when it validates; its refusals are shown on the form's fields."""

    actor = None  # set by the admin

    def _post_clean(self):
        if self.errors:
            return
        try:
            with transaction.atomic():
                saved = self.save_through_service(self.cleaned_data)
        except DomainError as error:
            form_error_fields(self, error)
            return
        # The admin's inline formsets already hold `self.instance`: it becomes the saved row, so they attach to it.
        for field in saved._meta.concrete_fields:
            setattr(self.instance, field.attname, getattr(saved, field.attname))
        self.instance._state.adding = False

    def save_through_service(self, data):
        raise NotImplementedError


class ActorAdmin(TenantModelAdmin):
    view_capability = VIEW
    change_capability = MANAGE

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        pass  # written (and audited) by the service when the form was validated

    def has_delete_permission(self, request, obj=None):
        return False


# --- libraries ---------------------------------------------------------------------------------------------------
class LibraryForm(ServiceForm):
    class Meta:
        model = Library
        fields = ["name", "description", "position"]

    def save_through_service(self, data):
        if self.instance.pk:
            return library_update(actor=self.actor, library=self.instance, **data)
        return library_create(actor=self.actor, **data)


class FolderInline(TenantInlineMixin, admin.TabularInline):
    model = Folder
    fk_name = "library"
    fields = ("name", "parent", "position")
    extra = 1
    view_capability = VIEW
    change_capability = MANAGE

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            library_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Folder.objects.filter(library_id=library_id) if library_id else Folder.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Library)
class LibraryAdmin(ActorAdmin):
    form = LibraryForm
    list_display = ("name", "position", "created_at")
    search_fields = ("name",)
    inlines = [FolderInline]


# --- assets ------------------------------------------------------------------------------------------------------
class AssetForm(ServiceForm):
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A file asset: its first file, or a new version (PDF, PPTX, PNG, JPEG, MP4, XLSX, CSV; 50 MB)."),
    )
    version_note = forms.CharField(label=_("What changed"), required=False, max_length=240)
    items = forms.ModelMultipleChoiceField(
        label=_("In the box"),
        queryset=None,
        required=False,
        help_text=_("A campaign in a box: the files, links and articles it bundles."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Asset.objects.exclude(kind=AssetKind.CAMPAIGN).order_by("title")
        self.fields["folder"].queryset = Folder.objects.select_related("library").order_by("library", "name")
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.fields["items"].initial = list(
                CampaignItem.objects.filter(campaign=self.instance).values_list("item", flat=True)
            )

    def save_through_service(self, data):
        values = {key: value for key, value in data.items() if key in ASSET_FIELDS}
        upload, note, items = data.get("upload"), data.get("version_note", ""), data.get("items")
        if self.instance.pk:
            asset = asset_update(actor=self.actor, asset=self.instance, **values)
            if upload is not None:
                asset_version_add(actor=self.actor, asset=asset, upload=upload, note=note)
        else:
            asset = asset_create(actor=self.actor, upload=upload, **values)
        if asset.kind == AssetKind.CAMPAIGN and items is not None:
            campaign_items_set(actor=self.actor, campaign=asset, items=[item for item in items if item.pk != asset.pk])
        return asset


class VersionInline(TenantInlineMixin, admin.TabularInline):
    model = AssetVersion
    fields = ("download", "note", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    view_capability = VIEW

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, version):
        return version_link(version)


def version_link(version) -> str:
    url = reverse("admin:content_assetversion_download", args=[version.pk])
    return format_html('<a href="{}">v{} · {}</a>', url, version.number, version.original_name)


@admin.register(Asset)
class AssetAdmin(ActorAdmin):
    form = AssetForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (*ASSET_FIELDS, "upload", "version_note", "items")
    list_display = ("title", "kind", "library", "stage", "language", "is_published", "is_public", "views", "downloads")
    list_filter = ("kind", "stage", "language", "is_published", "is_public", "library")
    list_select_related = ("library",)
    search_fields = ("title", "summary")
    inlines = [VersionInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return with_event_counts(super().get_queryset(request))

    @admin.display(description=_("views"), ordering="views")
    def views(self, obj):
        return obj.views

    @admin.display(description=_("downloads"), ordering="downloads")
    def downloads(self, obj):
        return obj.downloads

    def _publishing(self, request, queryset, service, message):
        run_for_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda asset: service(actor=request.user, asset=asset),
            done_message=message,
        )

    @admin.action(description=_("Publish selected assets"), permissions=["change"])
    def publish(self, request, queryset):
        self._publishing(
            request,
            queryset,
            asset_publish,
            lambda n: ngettext("%(count)d asset published.", "%(count)d assets published.", n),
        )

    @admin.action(description=_("Unpublish selected assets (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._publishing(
            request,
            queryset,
            asset_unpublish,
            lambda n: ngettext("%(count)d asset unpublished.", "%(count)d assets unpublished.", n),
        )


@admin.register(AssetVersion)
class AssetVersionAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Read-only: a new version is uploaded on the asset's page (through `asset_version_add`)."""

    view_capability = VIEW
    change_capability = MANAGE
    list_display = ("asset", "number", "file_link", "content_type", "size", "note", "uploaded_at")
    list_select_related = ("asset",)
    search_fields = ("asset__title", "original_name")
    fields = ("asset", "number", "file_link", "original_name", "content_type", "size", "sha256", "note",
              "uploaded_by", "uploaded_at")  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("file"))
    def file_link(self, version):
        return version_link(version)

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:version_id>/download/", view, name="content_assetversion_download"), *super().get_urls()]

    def download_view(self, request, version_id: int):
        """A version's file, as an attachment, to whoever may see its asset."""
        if not self.has_view_permission(request):
            raise Http404
        version = AssetVersion.objects.filter(pk=version_id, asset__in=assets_visible_to(request)).first()
        if version is None:
            raise Http404
        return attachment_response(version.file, filename=version.original_name, content_type=version.content_type)
