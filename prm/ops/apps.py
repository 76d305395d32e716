from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "prm.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from .dbroles import grant_runtime_privileges

        post_migrate.connect(grant_runtime_privileges, sender=self, dispatch_uid="prm.ops.grants")
