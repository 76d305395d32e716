from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "prm.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from prm.portal.navigation import NavItem, register_nav_item

        from .views import unread_badge

        register_nav_item(
            NavItem("notifications", _("Notifications"), "notifications:list", "portal.use", 850, badge=unread_badge)
        )
