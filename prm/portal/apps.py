from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "prm.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import registrations  # noqa: F401
