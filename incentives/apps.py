from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentives")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability
        from prm.ops.demo import register_demo_step
        from prm.portal.navigation import NavItem, register_nav_item

        from .activity_kinds import register_activity_kinds
        from .demo import seed_incentives_demo
        from .demo_rewards import seed_rewards_demo
        from .services.leaderboards import leaderboard_refresh_after_run
        from .services.runs import register_after_run
        from .views.earnings import register_nav as register_earnings_nav
        from .views.rewards import register_nav as register_rewards_nav

        register_capability("incentives.view_all", VENDOR_ROLES)
        register_capability("incentives.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("incentives.earn", PARTNER_ROLES)

        # Deals, leads and logged activities earn points; the content app adds courses and certifications.
        register_activity_kinds()
        register_after_run(leaderboard_refresh_after_run)

        register_nav_item(
            NavItem("incentives.programs", _("Incentives"), "incentives:programs", "incentives.view_all", 45)
        )
        register_nav_item(
            NavItem("incentives.programs.partner", _("Programs"), "incentives:programs", "incentives.earn", 45)
        )
        register_earnings_nav()
        register_rewards_nav()
        register_nav_item(
            NavItem("incentives.leaderboards", _("Leaderboards"), "incentives:leaderboards", "incentives.view_all", 60)
        )
        register_nav_item(
            NavItem("incentives.leaderboard", _("Leaderboard"), "incentives:partner-leaderboard", "incentives.earn", 60)
        )

        register_demo_step("incentives", seed_incentives_demo, order=40)  # after the deals step (30)
        register_demo_step("incentives-rewards", seed_rewards_demo, order=45)
