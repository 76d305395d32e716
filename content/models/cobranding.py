from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .assets import AssetVersion


class CoBrandedCopy(TenantOwned):
    """A co-brandable PDF version stamped with one partner's name and logo, generated once and served again while
    the partner's branding is unchanged (`fingerprint`: a hash of the name and logo it was stamped with)."""

    version = models.ForeignKey(AssetVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+", db_index=False)
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to="cobranded", max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("co-branded copy")
        verbose_name_plural = _("co-branded copies")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version", "partner"], name="content_cobranded_unique")
        ]
