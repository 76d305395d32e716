from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content and training")

    def ready(self):
        from prm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, Role, register_capability

        register_capability("content.view_all", VENDOR_ROLES)
        register_capability("content.manage", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER})
        register_capability("content.use", PARTNER_ROLES)
