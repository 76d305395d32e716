from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability

        register_capability("partners.view_all", VENDOR_ROLES)
        register_capability("partners.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("programs.manage", {Role.TENANT_ADMIN})
        register_capability("partner.company", PARTNER_ROLES)
        register_capability("partner.manage_company", {Role.PARTNER_ADMIN})

        from prm.portal.navigation import NavItem, register_nav_item

        register_nav_item(
            NavItem("applications", _("Applications"), "partners:application-list", "partners.view_all", order=15)
        )
