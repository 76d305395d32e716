"""Roles and the capabilities they grant (pure: no database).

Capabilities are the one permission vocabulary: portal views, DRF permission
classes and admin classes all ask `role_can(role, capability)`. Business apps
register their own capabilities in `AppConfig.ready()`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TENANT_ADMIN = "tenant_admin", _("Tenant admin")
    CHANNEL_MANAGER = "channel_manager", _("Channel manager")
    VENDOR_STAFF = "vendor_staff", _("Vendor staff")
    PARTNER_ADMIN = "partner_admin", _("Partner admin")
    PARTNER_REP = "partner_rep", _("Partner rep")


VENDOR_ROLES = frozenset({Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF})
PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_REP})
ALL_ROLES = VENDOR_ROLES | PARTNER_ROLES
VENDOR_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in VENDOR_ROLES]

_CAPABILITIES: dict[str, frozenset[str]] = {}


def register_capability(name: str, roles) -> None:
    roles = frozenset(roles)
    unknown = roles - ALL_ROLES
    if unknown:
        raise ValueError(f"Unknown roles for {name}: {sorted(unknown)}")
    existing = _CAPABILITIES.get(name)
    if existing is not None and existing != roles:
        raise ValueError(f"Capability {name} is already registered with other roles.")
    _CAPABILITIES[name] = roles


def role_can(role: str | None, capability: str) -> bool:
    try:
        roles = _CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"Unknown capability {capability!r}; register it first.") from None
    return role in roles


def capabilities_of(role: str | None) -> list[str]:
    return sorted(name for name, roles in _CAPABILITIES.items() if role in roles)


# The foundation's own capabilities.
register_capability("admin.view", VENDOR_ROLES)
register_capability("admin.change", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
register_capability("team.manage", {Role.TENANT_ADMIN})
register_capability("settings.manage", {Role.TENANT_ADMIN})
register_capability("audit.view", {Role.TENANT_ADMIN})
register_capability("portal.use", ALL_ROLES)
