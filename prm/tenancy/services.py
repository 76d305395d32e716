from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import InvalidInput

from .models import Tenant, TenantDomain
from .validators import validate_logo_file

# What a tenant admin may change about their own portal.
SETTINGS_FIELDS = (
    "portal_title",
    "primary_color",
    "accent_color",
    "support_email",
    "timezone",
    "currency",
    "default_language",
    "logo",
)
# What only a platform operator may change.
PLATFORM_FIELDS = ("name", "status")


def _validated(instance, *, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=exc.message_dict) from exc


@transaction.atomic
def tenant_create(*, actor, slug: str, name: str, admin_email: str = "", **settings_values) -> Tenant:
    """A new vendor portal; with `admin_email`, its first tenant admin is invited."""
    from prm.accounts.roles import Role
    from prm.accounts.services import membership_invite

    unknown = set(settings_values) - set(SETTINGS_FIELDS) - {"status"}
    if unknown:
        raise InvalidInput(_("Unknown tenant fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    logo = settings_values.pop("logo", None)
    tenant = Tenant(slug=(slug or "").strip().lower(), name=(name or "").strip(), **settings_values)
    _validated(tenant, exclude=["logo"])
    tenant.save()
    _replace_logo(tenant, logo)
    audit_record(
        action="tenant.create",
        actor=actor,
        obj=tenant,
        changes=audit_diff({}, audit_snapshot(tenant, ("slug", "name", "status", *SETTINGS_FIELDS))),
    )
    if admin_email:
        membership_invite(tenant=tenant, actor=actor, email=admin_email, role=Role.TENANT_ADMIN)
    return tenant


def _replace_logo(tenant: Tenant, upload) -> None:
    """Store a new logo (`upload`), remove it (`False`) or leave it (`None`); the old file goes after commit."""
    if upload is None or (upload is False and not tenant.logo):
        return
    old_name, storage = tenant.logo.name, tenant.logo.storage
    if upload is False:
        tenant.logo = ""
    else:
        try:
            validate_logo_file(upload)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0], fields={"logo": exc.messages}) from exc
        tenant.logo.save("logo", upload, save=False)
    tenant.save(update_fields=["logo", "updated_at"])
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def tenant_update(*, tenant: Tenant, actor, platform: bool = False, **values) -> Tenant:
    """Change a tenant's settings (tenant admins) or also its name and status (operators, `platform=True`).

    `logo` takes an uploaded file, or `False` to remove the logo.
    """
    allowed = set(SETTINGS_FIELDS) | (set(PLATFORM_FIELDS) if platform else set())
    refused = set(values) - allowed
    if refused:
        raise InvalidInput(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(refused))})
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    fields = tuple(allowed)
    before = audit_snapshot(tenant, fields)
    logo = values.pop("logo", None)
    for name, value in values.items():
        setattr(tenant, name, value)
    _validated(tenant, exclude=["logo"])
    tenant.save()
    _replace_logo(tenant, logo)
    changes = audit_diff(before, audit_snapshot(tenant, fields))
    if changes:
        audit_record(action="tenant.update", actor=actor, obj=tenant, changes=changes)
    return tenant


@transaction.atomic
def tenant_domain_add(*, tenant: Tenant, actor, hostname: str, is_primary: bool = False) -> TenantDomain:
    hostname = (hostname or "").strip().lower().rstrip(".")
    domain = TenantDomain(tenant=tenant, hostname=hostname, is_primary=is_primary)
    _validated(domain, exclude=["tenant"])
    taken = TenantDomain.objects.annotate(host=Lower("hostname")).filter(host=hostname).exists()
    if taken:
        raise InvalidInput(_("This host name already serves a portal."), fields={"hostname": [_("Already in use.")]})
    if is_primary:
        TenantDomain.objects.filter(tenant=tenant, is_primary=True).update(is_primary=False)
    domain.save()
    audit_record(action="tenant_domain.add", actor=actor, obj=domain, context={"is_primary": is_primary})
    return domain


@transaction.atomic
def tenant_domain_remove(*, domain: TenantDomain, actor) -> None:
    audit_record(action="tenant_domain.remove", actor=actor, obj=domain)
    domain.delete()
