from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "prm.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy")

    def ready(self):
        from .db import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="prm.tenancy.apply_state")
