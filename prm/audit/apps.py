from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "prm.audit"
    label = "audit"
    verbose_name = "Audit trail"
