from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content and training")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability
        from prm.ops.demo import register_demo_step

        from .demo import seed_content_demo
        from .ready import announcements, engagement, library, training

        register_capability("content.view_all", VENDOR_ROLES)
        register_capability("content.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("content.use", PARTNER_ROLES)
        library.register()
        training.register()
        announcements.register()
        engagement.register()
        register_demo_step("content", seed_content_demo, order=60)  # after partners, deals, incentives and MDF
