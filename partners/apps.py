from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability
        from prm.ops.demo import register_demo_step

        from .demo import seed_partners

        register_capability("partners.view_all", VENDOR_ROLES)
        register_capability("partners.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("programs.manage", {Role.TENANT_ADMIN})
        register_capability("partner.company", PARTNER_ROLES)
        register_capability("partner.manage_company", {Role.PARTNER_ADMIN})

        register_demo_step("partners", seed_partners, order=20)

        # ONBOARD: onboarding pages in the navigation, dashboard panels for both sides.
        from .views import onboarding as onboarding_views

        onboarding_views.register_nav_and_panels()

        from prm.portal.navigation import NavItem, register_nav_item

        register_nav_item(
            NavItem("applications", _("Applications"), "partners:application-list", "partners.view_all", order=15)
        )
