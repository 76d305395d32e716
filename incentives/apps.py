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

        from .demo_rewards import seed_rewards_demo
        from .views.rewards import register_nav as register_rewards_nav

        register_rewards_nav()
        register_demo_step("incentives-rewards", seed_rewards_demo, order=45)
