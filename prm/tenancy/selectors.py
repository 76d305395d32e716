from django.conf import settings
from django.db.models.functions import Lower

from .context import all_tenants
from .models import Tenant, TenantDomain
from .resolution import HostKind, classify_host


class UnknownHost(LookupError):
    pass


def host_resolve(*, host: str) -> Tenant | None:
    """The tenant serving `host`, or None for the platform host; UnknownHost otherwise."""
    match = classify_host(host, settings.PRM_BASE_DOMAIN)
    if match.kind is HostKind.PLATFORM:
        return None
    if match.kind is HostKind.SUBDOMAIN:
        tenant = Tenant.objects.filter(slug=match.value).order_by().first()
    else:
        # Custom domains are tenant-owned rows: looking one up by host name is a
        # cross-tenant read, so it happens in the platform context.
        with all_tenants():
            domain = (
                TenantDomain.objects.select_related("tenant")
                .annotate(host=Lower("hostname"))
                .filter(host=match.value)
                .first()
            )
        tenant = domain.tenant if domain else None
    if tenant is None:
        raise UnknownHost(host)
    return tenant


def tenant_primary_host(*, tenant: Tenant) -> str:
    """The host links in emails use: the primary custom domain, else the subdomain."""
    hostname = TenantDomain.objects.filter(tenant=tenant, is_primary=True).values_list("hostname", flat=True).first()
    return hostname or tenant.subdomain_host


def tenant_portal_url(*, tenant: Tenant, path: str = "/") -> str:
    port = settings.PRM_PUBLIC_PORT
    default_port = {"http": "80", "https": "443"}.get(settings.PRM_PUBLIC_SCHEME)
    netloc = tenant_primary_host(tenant=tenant)
    if port and port != default_port:
        netloc = f"{netloc}:{port}"
    return f"{settings.PRM_PUBLIC_SCHEME}://{netloc}{path}"
