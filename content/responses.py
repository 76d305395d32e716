"""Serving library files, shared by the portal and the API: each view has found the asset through
`assets_visible_to` first; these record the download and answer with the file as an attachment."""

from django.http import Http404

from prm.files.names import download_name
from prm.files.responses import attachment_response

from .models import AssetEvent
from .selectors import downloadable_version
from .services import asset_event_record, cobranded_copy_get


def version_download(request, asset, *, number: str | None, partner):
    """The current version, or version `number` as far as `request` may fetch it (`downloadable_version`)."""
    if number is not None and not number.isdigit():
        raise Http404
    version = downloadable_version(request, asset, number=int(number) if number else None)
    if version is None:
        raise Http404
    asset_event_record(asset=asset, kind=AssetEvent.Kind.DOWNLOAD, user=request.user, partner=partner)
    return attachment_response(version.file, filename=version.original_name, content_type=version.content_type)


def cobranded_download(request, asset, *, partner, preview: bool = False):
    """`partner`'s co-branded copy of the asset's current version (the service answers 409 for an asset that
    cannot be co-branded). A vendor's `preview` is not the partner's download, so it is not recorded."""
    version = downloadable_version(request, asset)
    if version is None:
        raise Http404
    copy = cobranded_copy_get(version=version, partner=partner, actor=request.user)
    if not preview:
        asset_event_record(asset=asset, kind=AssetEvent.Kind.DOWNLOAD, user=request.user, partner=partner)
    stem = version.original_name.rsplit(".", 1)[0]
    filename = download_name(f"{stem} - {partner.name}", ".pdf", fallback="asset")
    return attachment_response(copy.file, filename=filename, content_type="application/pdf")
