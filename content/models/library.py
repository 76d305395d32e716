from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class Library(TenantOwned):
    """A shelf of the vendor's content (sales enablement, marketing, technical …), in folders."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="content_library_name_unique")]

    def __str__(self) -> str:
        return self.name


class Folder(TenantOwned):
    """A folder of a library; folders nest (a folder's parent is in the same library)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="folders", db_index=False)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", db_index=False
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["library", "position", "name"]
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        indexes = [models.Index(fields=["tenant", "library", "parent"], name="content_folder_library_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.parent_id and self.parent.library_id != self.library_id:
            raise ValidationError({"parent": _("The parent folder is in another library.")})
