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

        from prm.portal.navigation import NavItem, register_nav_item

        from .services.leaderboards import leaderboard_refresh_after_run
        from .services.runs import register_after_run

        register_after_run(leaderboard_refresh_after_run)
        register_nav_item(
            NavItem("incentives.leaderboards", _("Leaderboards"), "incentives:leaderboards", "incentives.view_all", 60)
        )
        register_nav_item(
            NavItem("incentives.leaderboard", _("Leaderboard"), "incentives:partner-leaderboard", "incentives.earn", 60)
        )
