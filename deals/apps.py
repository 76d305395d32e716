from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals")

    def ready(self):
        from partners.step_kinds import StepKind, register_step_kind
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability

        from .step_kinds import REGISTER_DEAL

        register_capability("deals.view_all", VENDOR_ROLES)
        register_capability("deals.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("deals.register", PARTNER_ROLES)
        register_capability("catalog.manage", {Role.TENANT_ADMIN})

        # A checklist step completed by the partner's first submitted registration.
        register_step_kind(StepKind(REGISTER_DEAL, _("Register a first deal")))

        # leads: nav items for managers (all leads) and partners (their inbox)
        from .views.leads import register_nav as register_lead_nav

        register_lead_nav()
