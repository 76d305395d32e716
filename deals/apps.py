from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals")

    def ready(self):
        from partners.metrics import register_metric
        from partners.step_kinds import StepKind, register_step_kind
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability
        from prm.ops.demo import register_demo_step
        from prm.portal.navigation import NavItem, register_nav_item

        from .demo import seed_deals_demo
        from .metric_sources import SALES_METRICS
        from .step_kinds import REGISTER_DEAL
        from .views.leads import register_nav as register_lead_nav

        register_capability("deals.view_all", VENDOR_ROLES)
        register_capability("deals.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("deals.register", PARTNER_ROLES)
        register_capability("catalog.manage", {Role.TENANT_ADMIN})

        # A checklist step completed by the partner's first submitted registration.
        register_step_kind(StepKind(REGISTER_DEAL, _("Register a first deal")))
        # Revenue, wins, registrations and lead response for tiers and business plans.
        for metric in SALES_METRICS:
            register_metric(metric)

        register_nav_item(NavItem("deals", _("Deals"), "deals:list", "deals.view_all", order=30))
        register_nav_item(NavItem("deals.partner", _("Deals"), "deals:list", "deals.register", order=30))
        register_nav_item(NavItem("deals.register", _("Register a deal"), "deals:register", "deals.register", order=31))
        register_nav_item(NavItem("deals.sales", _("Sales"), "deals:sales", "deals.view_all", order=35))
        register_nav_item(NavItem("deals.our-sales", _("Our sales"), "deals:our-sales", "deals.register", order=35))
        register_lead_nav()

        register_demo_step("deals", seed_deals_demo, order=30)
