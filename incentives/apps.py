from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentives")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability

        register_capability("incentives.view_all", VENDOR_ROLES)
        register_capability("incentives.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("incentives.earn", PARTNER_ROLES)

        from prm.ops.demo import register_demo_step

        from .demo import seed_incentives_demo

        register_demo_step("incentives", seed_incentives_demo, order=40)  # after the deals step (30)
