"""`manage.py migrate` runs as the owner role unless told otherwise.

The app role cannot create or alter tables (it owns none), so migrating on
the default alias would fail; this keeps the familiar command working.
"""

from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database="owner")
