from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability
        from prm.api.me import MeExtension, register_me_extension
        from prm.ops.demo import register_demo_step
        from prm.portal.dashboard import Panel, register_panel
        from prm.portal.navigation import NavItem, register_nav_item

        from .api.company import MePartnerSerializer
        from .demo import seed_partners
        from .metric_sources import PARTNER_METRICS
        from .metrics import register_metric
        from .permissions import request_partner
        from .views import onboarding as onboarding_views
        from .views.directory import pipeline_panel

        register_capability("partners.view_all", VENDOR_ROLES)
        register_capability("partners.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("programs.manage", {Role.TENANT_ADMIN})
        register_capability("partner.company", PARTNER_ROLES)
        register_capability("partner.manage_company", {Role.PARTNER_ADMIN})

        # The metrics whose data this app holds; other apps register theirs the same way.
        for metric in PARTNER_METRICS:
            register_metric(metric)

        register_nav_item(
            NavItem("applications", _("Applications"), "partners:application-list", "partners.view_all", order=15)
        )
        onboarding_views.register_nav_and_panels()
        register_nav_item(NavItem("tier", _("Tier"), "partners:tier-mine", capability="partner.company", order=40))
        register_nav_item(
            NavItem("tier-changes", _("Tier changes"), "partners:tier-changes", "partners.view_all", order=40)
        )

        register_nav_item(NavItem("partners.directory", _("Partners"), "partners:directory", "partners.view_all", 20))
        register_nav_item(NavItem("partners.coverage", _("Coverage"), "partners:coverage", "partners.view_all", 25))
        register_nav_item(NavItem("partner.company", _("Company"), "partners:company", "partner.company", 60))
        register_nav_item(NavItem("partner.people", _("People"), "partners:people", "partner.manage_company", 62))
        register_nav_item(
            NavItem("partner.plans", _("Business plan"), "partners:company-plans", "partner.manage_company", 64)
        )
        register_panel(
            Panel("partner_pipeline", "partners/panels/partner_pipeline.html", "partners.view_all", pipeline_panel, 10)
        )
        # /api/v1/me names the partner company of a partner user (null for vendor staff).
        register_me_extension(MeExtension("partner", request_partner, MePartnerSerializer(allow_null=True)))

        register_demo_step("partners", seed_partners, order=20)
