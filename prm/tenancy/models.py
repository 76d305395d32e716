import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .context import TenantContextConflict, TenantContextMissing, current_state
from .validators import (
    validate_currency,
    validate_hex_colour,
    validate_hostname,
    validate_tenant_slug,
    validate_timezone,
)


def tenant_logo_path(instance: "Tenant", filename: str) -> str:
    # Generated name: the uploaded filename never reaches the filesystem.
    return f"tenants/{instance.pk or 'new'}/logo-{uuid.uuid4().hex}"


class Tenant(models.Model):
    """A vendor: owns a branded portal and every row of its data."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.CharField(_("slug"), max_length=40, unique=True, validators=[validate_tenant_slug])
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[validate_currency])
    default_language = models.CharField(_("default language"), max_length=8, choices=settings.LANGUAGES, default="en")
    portal_title = models.CharField(_("portal title"), max_length=120, blank=True)
    primary_color = models.CharField(
        _("primary colour"), max_length=7, default="#1f4fd8", validators=[validate_hex_colour]
    )
    accent_color = models.CharField(
        _("accent colour"), max_length=7, default="#f59e0b", validators=[validate_hex_colour]
    )
    support_email = models.EmailField(_("support email"), blank=True)
    # Served by the branding view, never from MEDIA_ROOT directly.
    logo = models.FileField(_("logo"), upload_to=tenant_logo_path, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def title(self) -> str:
        return self.portal_title or _("%(name)s Partner Portal") % {"name": self.name}

    @property
    def subdomain_host(self) -> str:
        return f"{self.slug}.{settings.PRM_BASE_DOMAIN}"


class TenantScopedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.assign_tenant_from_context()
        return super().bulk_create(objs, *args, **kwargs)


class TenantManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """Filters by the tenant in context; refuses to run without one.

    In the platform context (`all_tenants()`) it returns every tenant's rows.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        state = current_state()
        if state.tenant is not None:
            return queryset.filter(tenant_id=state.tenant.pk)
        if state.platform:
            return queryset
        raise TenantContextMissing(
            f"{self.model.__name__} was queried without a tenant context; "
            "use tenant_context(tenant) or, for operator tooling, all_tenants()."
        )

    def none(self):
        """Always allowed: an empty queryset cannot leak (e.g. `queryset = Model.objects.none()` on a view)."""
        return super().get_queryset().none()


class TenantOwned(models.Model):
    """Base for every tenant-owned table: `tenant` FK, scoped manager, tenant set on create.

    Its table also needs `EnableTenantRLS("<model>")` in the migration that creates it.
    """

    # No index of its own: each model's composite indexes lead with `tenant` (a meta-test checks).
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False, verbose_name=_("tenant")
    )

    objects = TenantManager()

    class Meta:
        abstract = True

    def assign_tenant_from_context(self) -> None:
        state = current_state()
        if self.tenant_id is None:
            if state.tenant is None:
                raise TenantContextMissing(f"Cannot save {type(self).__name__} without a tenant context.")
            self.tenant = state.tenant
        elif state.tenant is not None and self.tenant_id != state.tenant.pk:
            raise TenantContextConflict(f"{type(self).__name__} belongs to another tenant than the one in context.")
        elif not state.is_set:
            raise TenantContextMissing(f"Cannot save {type(self).__name__} without a tenant context.")

    def save(self, *args, **kwargs):
        self.assign_tenant_from_context()
        super().save(*args, **kwargs)


class TenantDomain(TenantOwned):
    """A custom host name serving a tenant's portal, besides `<slug>.<PRM_BASE_DOMAIN>`."""

    hostname = models.CharField(_("host name"), max_length=253, validators=[validate_hostname])
    is_primary = models.BooleanField(_("primary"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["hostname"]
        verbose_name = _("custom domain")
        verbose_name_plural = _("custom domains")
        constraints = [
            # Deliberately global: one host name can serve only one tenant.
            models.UniqueConstraint(Lower("hostname"), name="tenancy_domain_hostname_unique"),
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_primary=True), name="tenancy_domain_one_primary"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "hostname"], name="tenancy_domain_tenant_idx")]

    def __str__(self) -> str:
        return self.hostname
