"""/api/v1/content/libraries/ and /api/v1/content/assets/.

Every asset is read through `assets_visible_to`, the one visibility selector: a partner user sees the published
assets that are public or meant for its company, the vendor's staff see all, drafts too; anything else is a 404.
Vendor managers (`content.manage`) create and change libraries and assets, upload file versions (multipart; 413 too
large, 415 not an allowed type) and publish. `GET …/download` serves the file as an attachment (the latest
version; `?version=n` for the vendor's staff) and `GET …/cobranded-download` a partner's co-branded copy of a
co-brandable PDF (409 when the asset cannot be co-branded). A retrieve and a download are recorded (a view, a
download) for the engagement figures, which the vendor's staff read in `views` and `downloads`."""

from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from partners.permissions import partners_visible_to, request_partner
from partners.profile import PartnerType, Region
from prm.accounts.permissions import request_can, request_membership
from prm.api.permissions import HasCapability
from prm.api.schema import ErrorEnvelopeSerializer

from ..models import Asset, AssetEvent, AssetKind, AssetVersion, Folder, Library, Stage
from ..responses import cobranded_download, version_download
from ..selectors import (
    asset_search,
    assets_visible_to,
    assets_with_parts,
    libraries_with_counts,
    sees_counts,
    with_event_counts,
)
from ..services import (
    asset_create,
    asset_event_record,
    asset_publish,
    asset_unpublish,
    asset_update,
    asset_version_add,
    folder_create,
    library_create,
    library_update,
)

VIEW_ALL, MANAGE, USE = "content.view_all", "content.manage", "content.use"


class SeesContent(BasePermission):
    """Vendor staff (every asset) and partner users (the ones meant for them)."""

    def has_permission(self, request, view):
        return request_membership(request) is not None and (request_can(request, VIEW_ALL) or request_can(request, USE))


def _permissions(action_name: str | None, manager_actions) -> list[BasePermission]:
    return [HasCapability(MANAGE)()] if action_name in manager_actions else [SeesContent()]


def _input(serializer_class, request, **context):
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- libraries ---------------------------------------------------------------------------------------------------
class FolderSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True)

    class Meta:
        model = Folder
        fields = ["id", "name", "parent", "position"]
        read_only_fields = fields


class LibrarySerializer(serializers.ModelSerializer):
    folders = FolderSerializer(many=True, source="folder_rows")
    asset_count = serializers.IntegerField(help_text="Assets of this library the caller may see.")

    class Meta:
        model = Library
        fields = ["id", "name", "description", "position", "asset_count", "folders", "created_at"]
        read_only_fields = fields


class LibraryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    position = serializers.IntegerField(min_value=0, required=False, default=0)


class LibraryPatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, required=False)


class FolderWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    parent = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A folder of this library."
    )

    def validate_parent(self, pk):
        if pk is None:
            return None
        parent = Folder.objects.filter(pk=pk, library=self.context["library"]).first()
        if parent is None:
            raise serializers.ValidationError(_("Choose a folder of this library."))
        return parent


class LibraryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The vendor's libraries with their folders and how many assets of each the caller may see."""

    queryset = Library.objects.none()
    serializer_class = LibrarySerializer
    filter_backends = []
    manager_actions = {"create", "partial_update", "folders"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return _permissions(self.action, self.manager_actions)

    def get_queryset(self):
        return libraries_with_counts(assets_visible_to(self.request))

    def _with_folders(self, libraries):
        libraries = list(libraries)
        by_library: dict[int, list[Folder]] = {library.pk: [] for library in libraries}
        for folder in Folder.objects.filter(library__in=by_library).order_by("position", "name"):
            by_library[folder.library_id].append(folder)
        for library in libraries:
            library.folder_rows = by_library[library.pk]
        return libraries

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(LibrarySerializer(self._with_folders(page), many=True).data)

    def _detail(self, library, code=status.HTTP_200_OK):
        library = self._with_folders([self.get_queryset().get(pk=library.pk)])[0]
        return Response(LibrarySerializer(library).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=LibraryWriteSerializer, responses={201: LibrarySerializer})
    def create(self, request, *args, **kwargs):
        """A new library (`content.manage`); 400 when the name is taken."""
        library = library_create(actor=request.user, **_input(LibraryWriteSerializer, request))
        return self._detail(library, status.HTTP_201_CREATED)

    @extend_schema(request=LibraryPatchSerializer, responses={200: LibrarySerializer})
    def partial_update(self, request, *args, **kwargs):
        library = self.get_object()
        return self._detail(
            library_update(actor=request.user, library=library, **_input(LibraryPatchSerializer, request))
        )

    @extend_schema(request=FolderWriteSerializer, responses={201: LibrarySerializer})
    @action(detail=True, methods=["post"])
    def folders(self, request, pk=None):
        """Add a folder (under `parent`, a folder of the same library)."""
        library = self.get_object()
        folder_create(actor=request.user, library=library, **_input(FolderWriteSerializer, request, library=library))
        return self._detail(library, status.HTTP_201_CREATED)


# --- assets ------------------------------------------------------------------------------------------------------
VENDOR_FIELDS = (
    "is_published", "visible_program_ids", "visible_tier_ids", "visible_types", "visible_regions", "views",
    "downloads", "created_at", "updated_at",
)  # fmt: skip


VENDOR_ONLY = "Vendor staff only."


class AssetVersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number")
    name = serializers.CharField(source="original_name", help_text="The uploader's file name, made safe.")
    content_type = serializers.CharField(help_text="The type found in the file's content.")

    class Meta:
        model = AssetVersion
        fields = ["version", "name", "content_type", "size", "sha256", "note", "uploaded_at"]
        read_only_fields = fields


class AssetSerializer(serializers.ModelSerializer):
    """An asset. Fields marked "vendor staff only" are left out for partner users."""

    library = serializers.IntegerField(source="library_id")
    folder = serializers.IntegerField(source="folder_id", allow_null=True)
    body = serializers.CharField(help_text="An article's text: HTML, sanitised when it was written.")
    current_version = AssetVersionSerializer(
        source="latest_version", allow_null=True, help_text="A file's current version (null for other kinds)."
    )
    items = serializers.ListField(
        child=serializers.IntegerField(), source="item_ids", help_text="A campaign in a box: the bundled asset ids."
    )
    is_published = serializers.BooleanField(required=False, help_text="Vendor staff only.")
    visible_program_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Vendor staff only."
    )
    visible_tier_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Vendor staff only."
    )
    visible_types = serializers.ListField(child=serializers.CharField(), required=False, help_text="Vendor staff only.")
    visible_regions = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Vendor staff only."
    )
    views = serializers.IntegerField(required=False, help_text="Vendor staff only: views, all time.")
    downloads = serializers.IntegerField(required=False, help_text="Vendor staff only: downloads, all time.")
    created_at = serializers.DateTimeField(required=False, help_text="Vendor staff only.")
    updated_at = serializers.DateTimeField(required=False, help_text="Vendor staff only.")

    class Meta:
        model = Asset
        fields = [
            "id", "library", "folder", "kind", "title", "summary", "tags", "language", "stage", "url", "body",
            "instructions", "co_brandable", "is_public", "current_version", "items", *VENDOR_FIELDS,
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, asset):
        data = super().to_representation(asset)
        if not self.context.get("vendor"):
            for key in VENDOR_FIELDS:
                data.pop(key, None)
        return data


class AssetWriteSerializer(serializers.Serializer):
    library = serializers.IntegerField()
    folder = serializers.IntegerField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    language = serializers.CharField(required=False, default="en")
    stage = serializers.ChoiceField(
        choices=Stage.choices, allow_blank=True, required=False, default="", help_text="Empty: every stage."
    )
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="", help_text="HTML; sanitised.")
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    co_brandable = serializers.BooleanField(required=False, default=False)
    is_public = serializers.BooleanField(required=False, default=False)
    visible_program_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    visible_tier_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    visible_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnerType.choices), required=False, default=list
    )
    visible_regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), required=False, default=list
    )
    file = serializers.FileField(required=False, help_text="A file asset's first file (multipart).")

    def validate_library(self, pk):
        library = Library.objects.filter(pk=pk).first()
        if library is None:
            raise serializers.ValidationError(_("Choose one of your libraries."))
        return library

    def validate_folder(self, pk):
        if pk is None:
            return None
        folder = Folder.objects.filter(pk=pk).first()
        if folder is None:
            raise serializers.ValidationError(_("Choose one of your folders."))
        return folder


class AssetPatchSerializer(AssetWriteSerializer):
    """Any of the fields (not the kind and not a file: upload a version instead)."""

    def get_fields(self):
        fields = super().get_fields()
        del fields["kind"], fields["file"]
        for field in fields.values():
            field.required = False
            field.default = serializers.empty
        return fields


class AssetVersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PPTX, PNG, JPEG, MP4, XLSX or CSV, judged by content; at most 50 MB.")
    note = serializers.CharField(max_length=240, required=False, allow_blank=True, default="")


class AssetFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", help_text="Full text over title, tags, summary and article text.")
    kind = filters.ChoiceFilter(choices=AssetKind.choices, method="search")
    stage = filters.ChoiceFilter(choices=Stage.choices, method="search", help_text="Also assets for every stage.")
    language = filters.CharFilter(method="search")
    tag = filters.CharFilter(method="search")
    library = filters.NumberFilter(field_name="library_id")
    folder = filters.NumberFilter(field_name="folder_id")

    class Meta:
        model = Asset
        fields = ["q", "kind", "stage", "language", "tag", "library", "folder"]

    def search(self, queryset, name, value):
        return queryset  # applied together in filter_queryset, so the ranking sees every filter

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return asset_search(
            queryset,
            text=data.get("q") or "",
            kind=data.get("kind") or "",
            stage=data.get("stage") or "",
            language=data.get("language") or "",
            tag=(data.get("tag") or "").strip().lower(),
        )


VERSION_PARAMETER = OpenApiParameter(
    "version", OpenApiTypes.INT, description="An earlier version (vendor staff only); default: the current one."
)
PARTNER_PARAMETER = OpenApiParameter(
    "partner", OpenApiTypes.INT, description="Vendor staff: the partner whose copy to preview (not recorded)."
)
DOWNLOAD = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment (its checked type).")


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assets the caller may see; `?q=` searches (best match first), the other parameters filter."""

    queryset = Asset.objects.none()
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet
    ordering_fields = ["title", "created_at", "updated_at"]
    parser_classes = [JSONParser, MultiPartParser]
    manager_actions = {"create", "partial_update", "publish", "unpublish", "versions"}
    conflict_actions = {"cobranded_download"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return _permissions(self.action, self.manager_actions)

    def get_queryset(self):
        assets = assets_visible_to(self.request)
        return with_event_counts(assets) if sees_counts(self.request) else assets

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "vendor": sees_counts(self.request)}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(assets_with_parts(page), many=True).data)

    def _detail(self, asset, code=status.HTTP_200_OK):
        asset = assets_with_parts([self.get_queryset().get(pk=asset.pk)])[0]
        return Response(self.get_serializer(asset).data, status=code)

    def _partner(self):
        return request_partner(self.request) if request_can(self.request, USE) else None

    def retrieve(self, request, *args, **kwargs):
        """One asset; recorded as a view."""
        asset = self.get_object()
        asset_event_record(asset=asset, kind=AssetEvent.Kind.VIEW, user=request.user, partner=self._partner())
        return self._detail(asset)

    @extend_schema(
        request={"application/json": AssetWriteSerializer, "multipart/form-data": AssetWriteSerializer},
        responses={201: AssetSerializer},
    )
    def create(self, request, *args, **kwargs):
        """A draft asset; a file asset takes its first file in the same (multipart) request."""
        data = dict(_input(AssetWriteSerializer, request))
        asset = asset_create(actor=request.user, upload=data.pop("file", None), **data)
        return self._detail(asset, status.HTTP_201_CREATED)

    @extend_schema(request=AssetPatchSerializer, responses={200: AssetSerializer})
    def partial_update(self, request, *args, **kwargs):
        asset = self.get_object()
        return self._detail(asset_update(actor=request.user, asset=asset, **_input(AssetPatchSerializer, request)))

    @extend_schema(request=None, responses={200: AssetSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._detail(asset_publish(actor=request.user, asset=self.get_object()))

    @extend_schema(request=None, responses={200: AssetSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._detail(asset_unpublish(actor=request.user, asset=self.get_object()))

    @extend_schema(request={"multipart/form-data": AssetVersionUploadSerializer}, responses={201: AssetSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def versions(self, request, pk=None):
        """Upload a new version of a file asset; the earlier versions stay."""
        asset = self.get_object()
        data = _input(AssetVersionUploadSerializer, request)
        asset_version_add(actor=request.user, asset=asset, upload=data["file"], note=data["note"])
        return self._detail(asset, status.HTTP_201_CREATED)

    @extend_schema(parameters=[VERSION_PARAMETER], responses={(200, "application/octet-stream"): DOWNLOAD})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file as an attachment, recorded as a download: the current version, or `version` (vendor staff)."""
        asset = self.get_object()
        return version_download(request, asset, number=request.query_params.get("version"), partner=self._partner())

    @extend_schema(
        parameters=[PARTNER_PARAMETER],
        responses={
            (200, "application/octet-stream"): DOWNLOAD,
            400: OpenApiResponse(ErrorEnvelopeSerializer, description="Vendor staff: `partner` is missing."),
        },
    )
    @action(detail=True, methods=["get"], url_path="cobranded-download")
    def cobranded_download(self, request, pk=None):
        """A partner user's copy of a co-brandable PDF stamped with its company's name and logo; vendor staff preview
        the copy of the partner given in `partner`. 409 when the asset cannot be co-branded."""
        asset = self.get_object()
        partner = self._partner()
        if partner is not None:
            return cobranded_download(request, asset, partner=partner)
        if not request_can(request, VIEW_ALL):
            raise PermissionDenied()
        chosen = request.query_params.get("partner", "")
        if not chosen.isdigit():
            raise ValidationError({"partner": [_("Choose the partner whose copy to preview.")]})
        partner = partners_visible_to(request).filter(pk=int(chosen)).first()
        if partner is None:
            raise Http404
        return cobranded_download(request, asset, partner=partner, preview=True)


def register(router) -> None:
    """Add this area's viewsets to the content API router."""
    router.register("content/libraries", LibraryViewSet, basename="content-library")
    router.register("content/assets", AssetViewSet, basename="content-asset")


urlpatterns: list = []
