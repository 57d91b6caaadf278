"""Write what a complete copy of the database must contain, for verify_restore."""

import json

from django.core.management.base import BaseCommand

from accounts.backup import manifest


class Command(BaseCommand):
    help = "Print a JSON manifest (row counts, latest revisions) of the current database."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(manifest(), indent=2, sort_keys=True))
