from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MdfConfig(AppConfig):
    name = "mdf"
    verbose_name = _("Market development funds")

    def ready(self):
        from incentives.services import register_after_payout_paid
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability
        from prm.ops.demo import register_demo_step
        from prm.portal.navigation import NavItem, register_nav_item

        from .demo import seed_mdf_demo
        from .services import claims_mark_paid

        register_capability("mdf.view_all", VENDOR_ROLES)
        register_capability("mdf.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("mdf.use", PARTNER_ROLES)
        register_nav_item(NavItem("mdf", _("MDF"), "mdf:home", "mdf.view_all", order=48))
        register_nav_item(NavItem("mdf.partner", _("MDF"), "mdf:home", "mdf.use", order=48))
        # A payout that carries claims' reimbursements marks those claims paid.
        register_after_payout_paid(claims_mark_paid)
        register_demo_step("mdf", seed_mdf_demo, order=50)  # after the deals (30) and incentives (40) steps
