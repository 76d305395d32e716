from django.conf import settings
from django.core.management.base import BaseCommand

from prm.ops.dbroles import configured_roles, ensure_database, ensure_roles


class Command(BaseCommand):
    help = (
        "Create (or update) the owner, app and platform roles and the database, using the "
        "administrative credentials in DATABASE_URL. Safe to run any number of times."
    )

    def handle(self, *args, **options):
        roles = configured_roles()
        ensure_roles(roles)
        name = settings.DATABASES["owner"]["NAME"]
        ensure_database(name, roles=roles)
        self.stdout.write(
            f"Database {name}: owner {roles.owner}, app {roles.app} (NOINHERIT), platform {roles.platform}."
        )
