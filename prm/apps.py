from django.contrib.admin.apps import AdminConfig


class PrmAdminConfig(AdminConfig):
    default_site = "prm.admin_site.PrmAdminSite"
