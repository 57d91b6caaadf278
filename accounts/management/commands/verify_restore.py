"""Check that a restored database is complete against a manifest taken before the dump."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.backup import compare, manifest


class Command(BaseCommand):
    help = "Compare this database with a manifest from backup_manifest; fail on any difference."

    def add_arguments(self, parser):
        parser.add_argument("manifest", help="Path of the JSON manifest written before the dump.")

    def handle(self, *args, **options):
        with open(options["manifest"], encoding="utf-8") as handle:
            expected = json.load(handle)
        problems = compare(expected, manifest())
        if problems:
            raise CommandError("Restore incomplete:\n" + "\n".join(f"- {p}" for p in problems))
        counts = expected["counts"]
        self.stdout.write(
            f"Restore complete: {len(counts)} tables, {sum(counts.values())} rows, "
            f"{len(expected['latest_revisions'])} sections at their latest revision."
        )
