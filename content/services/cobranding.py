"""Co-branded copies of PDF assets: the partner's name and logo stamped on every page, generated once per
(asset version, partner) and generated again only when the partner's name or logo changed."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import StateConflict
from prm.files.names import private_name

from ..models import AssetKind, AssetVersion, CoBrandedCopy
from ..pdf_stamp import UnstampablePdf, stamp_pdf

PDF = "application/pdf"


def branding_fingerprint(partner) -> str:
    """What a copy was stamped with: the partner's name and its logo file (a new logo is stored under a new name)."""
    return hashlib.sha256(f"{partner.name}\0{partner.logo.name or ''}".encode()).hexdigest()


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def is_cobrandable(version: AssetVersion) -> bool:
    asset = version.asset
    return asset.kind == AssetKind.FILE and asset.co_brandable and version.content_type == PDF


@transaction.atomic
def cobranded_copy_get(*, version: AssetVersion, partner, actor=None) -> CoBrandedCopy:
    """The co-branded copy of a co-brandable PDF version for `partner`: the cached one while its branding is
    unchanged, else a new one (the version row is locked, so two downloads at once generate it once). 409 for an
    asset that is not co-brandable, or a PDF that cannot be stamped (damaged or encrypted)."""
    version = AssetVersion.objects.select_for_update().select_related("asset").get(pk=version.pk)
    if not is_cobrandable(version):
        raise StateConflict(_("This asset cannot be co-branded: only PDF files marked co-brandable can."))
    fingerprint = branding_fingerprint(partner)
    copy = CoBrandedCopy.objects.filter(version=version, partner=partner).first()
    if copy is not None and copy.fingerprint == fingerprint:
        return copy
    with translation.override(version.asset.language):  # the document's language, whoever downloads it first
        text = _("Provided by %(partner)s") % {"partner": partner.name}
    try:
        stamped = stamp_pdf(
            _read(version.file),
            text=text,
            logo=_read(partner.logo) if partner.logo else None,
        )
    except UnstampablePdf as error:
        raise StateConflict(
            _("This PDF cannot be co-branded: it is damaged or protected by a password. Download the plain file.")
        ) from error
    replaced = copy.file.name if copy is not None else None
    if copy is None:
        copy = CoBrandedCopy(version=version, partner=partner)
    copy.fingerprint = fingerprint
    copy.size = len(stamped)
    copy.file.save(private_name(str(version.tenant_id), ".pdf"), ContentFile(stamped), save=False)
    copy.save()
    if replaced:
        storage = copy.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    audit_record(
        action="content.cobranded_copy_generate",
        actor=actor,
        obj=version.asset,
        context={"version": version.number, "partner": partner.pk},
    )
    return copy
