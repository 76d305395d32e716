from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "prm.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from .dbroles import grant_runtime_privileges

        post_migrate.connect(grant_runtime_privileges, sender=self, dispatch_uid="prm.ops.grants")
