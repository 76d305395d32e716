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

        self._ready_company()

    def _ready_company(self):
        """Company area: nav items of both sides and the partner on /api/v1/me."""
        from prm.api.me import MeExtension, register_me_extension
        from prm.portal.navigation import NavItem, register_nav_item

        from .api.company import MePartnerSerializer, me_partner

        register_nav_item(NavItem("partners.directory", _("Partners"), "partners:directory", "partners.view_all", 20))
        register_nav_item(NavItem("partners.coverage", _("Coverage"), "partners:coverage", "partners.view_all", 25))
        register_nav_item(NavItem("partner.company", _("Company"), "partners:company", "partner.company", 60))
        register_nav_item(NavItem("partner.people", _("People"), "partners:people", "partner.manage_company", 62))
        register_nav_item(
            NavItem("partner.plans", _("Business plan"), "partners:company-plans", "partner.manage_company", 64)
        )
        register_me_extension(MeExtension("partner", me_partner, MePartnerSerializer(allow_null=True)))
