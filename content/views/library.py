"""Portal pages of the library: libraries and their folders, search with filters, the asset page (an article's
sanitised text, a file's versions, a link, a campaign in a box), and the authorised downloads, co-branded
downloads and link redirects. Every asset is found through `assets_visible_to`, the one visibility selector, so a
page, a search result and a download obey the same rules; one that the reader may not see is a 404."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from partners.permissions import request_partner
from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError

from ..models import AssetEvent, AssetKind, Folder, Stage
from ..responses import cobranded_download, version_download
from ..selectors import (
    asset_search,
    asset_versions,
    assets_visible_to,
    campaign_items_visible,
    folders_of,
    libraries_with_counts,
    may_fetch_old_versions,
    sees_counts,
    with_event_counts,
)
from ..services import asset_event_record, asset_publish, asset_unpublish, is_cobrandable

PAGE_SIZE = 25


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    tag = forms.CharField(label=gettext_lazy("Tag"), required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["kind"].choices = anything + list(AssetKind.choices)
        self.fields["stage"].choices = anything + list(Stage.choices)
        self.fields["language"].choices = anything + list(settings.LANGUAGES)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["q"],
            "kind": data["kind"],
            "stage": data["stage"],
            "language": data["language"],
            "tag": data["tag"].strip().lower(),
        }


def _paged(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _listed(request, assets):
    """Assets for a list: with the vendor's counts when the reader is vendor staff (same query)."""
    return with_event_counts(assets) if sees_counts(request) else assets


def _visible(request, pk: int):
    return get_object_or_404(assets_visible_to(request).select_related("library", "folder"), pk=pk)


def _partner(request):
    return request_partner(request) if request_can(request, "content.use") else None


@member_required
@require_GET
def library_index(request):
    visible = assets_visible_to(request)
    form = SearchForm(auto_id="search_%s")
    context = {"libraries": libraries_with_counts(visible), "form": form, "vendor": sees_counts(request)}
    return render(request, "content/library/index.html", context)


@member_required
@require_GET
def library_search(request):
    form = SearchForm(request.GET, auto_id="search_%s")
    if not form.is_valid():
        return render(request, "content/library/search.html", {"form": form, "page": None}, status=400)
    page = _paged(request, _listed(request, asset_search(assets_visible_to(request), **form.filters())))
    return render(request, "content/library/search.html", {"form": form, "page": page, "vendor": sees_counts(request)})


@member_required
@require_GET
def library_detail(request, pk: int):
    libraries = libraries_with_counts(assets_visible_to(request))
    library = get_object_or_404(libraries, pk=pk)
    folders = folders_of(library)
    folder = None
    if request.GET.get("folder"):
        try:
            folder = next(f for f in folders if str(f.pk) == request.GET["folder"])
        except StopIteration:
            raise Http404 from None
    assets = assets_visible_to(request).filter(library=library)
    assets = assets.filter(folder=folder) if folder is not None else assets.filter(folder__isnull=True)
    context = {
        "library": library,
        "folders": [f for f in folders if f.parent_id == (folder.pk if folder else None)],
        "folder": folder,
        "trail": _trail(folders, folder),
        "page": _paged(request, _listed(request, assets.order_by("title", "pk"))),
        "vendor": sees_counts(request),
    }
    return render(request, "content/library/library.html", context)


def _trail(folders: list[Folder], folder: Folder | None) -> list[Folder]:
    """The folder and its parents, outermost first."""
    by_pk = {f.pk: f for f in folders}
    trail = []
    while folder is not None:
        trail.insert(0, folder)
        folder = by_pk.get(folder.parent_id)
    return trail


@member_required
@require_GET
def asset_detail(request, pk: int):
    asset = _visible(request, pk)
    partner = _partner(request)
    asset_event_record(asset=asset, kind=AssetEvent.Kind.VIEW, user=request.user, partner=partner)
    vendor = sees_counts(request)
    versions = list(asset_versions(asset)) if asset.kind == AssetKind.FILE else []
    counts = None
    if vendor:
        counts = with_event_counts(assets_visible_to(request).filter(pk=asset.pk)).values("views", "downloads").first()
    context = {
        "asset": asset,
        "vendor": vendor,
        "counts": counts,
        "versions": versions if may_fetch_old_versions(request) else versions[:1],
        "cobrandable": partner is not None and bool(versions) and is_cobrandable(versions[0]),
        "items": list(campaign_items_visible(request, asset)) if asset.kind == AssetKind.CAMPAIGN else [],
        "can_manage": request_can(request, "content.manage"),
    }
    return render(request, "content/library/asset.html", context)


@require_GET
def asset_download(request, pk: int):
    """The file, as an attachment: the latest version, or `?version=n` (vendor staff: any; partners: the current
    one only). Public files download without signing in, exactly as `assets_visible_to` allows."""
    asset = _visible(request, pk)
    return version_download(request, asset, number=request.GET.get("version"), partner=_partner(request))


@capability_required("content.use")
@require_GET
def asset_cobranded(request, pk: int):
    asset = _visible(request, pk)
    try:
        return cobranded_download(request, asset, partner=_partner(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("content:asset", pk=asset.pk)


@member_required
@require_GET
def asset_open(request, pk: int):
    """Records a view of a link and sends the reader to the asset's stored address (never one from the request)."""
    asset = _visible(request, pk)
    if asset.kind != AssetKind.LINK or not asset.url:
        raise Http404
    asset_event_record(asset=asset, kind=AssetEvent.Kind.VIEW, user=request.user, partner=_partner(request))
    return redirect(asset.url)


@member_required
@require_POST
def campaign_launch(request, pk: int):
    """Launching a campaign in a box records a view of the campaign and of each bundled asset the reader may see
    (it now has the kit in hand), then shows the bundle with a download or open link per item."""
    asset = _visible(request, pk)
    if asset.kind != AssetKind.CAMPAIGN:
        raise Http404
    partner = _partner(request)
    items = list(campaign_items_visible(request, asset))
    for launched in [asset, *items]:
        asset_event_record(asset=launched, kind=AssetEvent.Kind.VIEW, user=request.user, partner=partner)
    messages.success(request, _("Campaign launched: every part of the kit is below."))
    return render(request, "content/library/launched.html", {"asset": asset, "items": items})


PUBLISHING = {
    "publish": (asset_publish, gettext_lazy("Published.")),
    "unpublish": (asset_unpublish, gettext_lazy("Unpublished: back to draft.")),
}


@capability_required("content.manage")
@require_POST
def asset_publishing(request, pk: int, action: str):
    asset = _visible(request, pk)
    if action not in PUBLISHING:
        raise Http404
    service, done = PUBLISHING[action]
    service(actor=request.user, asset=asset)
    messages.success(request, str(done))
    return redirect("content:asset", pk=asset.pk)


urlpatterns = [
    path("content/", library_index, name="library"),
    path("content/search", library_search, name="search"),
    path("content/libraries/<int:pk>/", library_detail, name="library-detail"),
    path("content/assets/<int:pk>/", asset_detail, name="asset"),
    path("content/assets/<int:pk>/download", asset_download, name="asset-download"),
    path("content/assets/<int:pk>/cobranded", asset_cobranded, name="asset-cobranded"),
    path("content/assets/<int:pk>/open", asset_open, name="asset-open"),
    path("content/assets/<int:pk>/launch", campaign_launch, name="campaign-launch"),
    path("content/assets/<int:pk>/<slug:action>", asset_publishing, name="asset-publishing"),
]
