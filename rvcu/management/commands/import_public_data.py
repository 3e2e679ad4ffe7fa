import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rvcu.public_data import PublicDataError, public_data_import


class Command(BaseCommand):
    help = (
        "Load a document written by export_public_data into a database just migrated, with no "
        "city, practice or partnership yet (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON document ('-': standard input)")

    def handle(self, *args, file, **options):
        name = "standard input" if file == "-" else file
        try:
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with Path(file).open(encoding="utf-8") as text:
                    document = json.load(text)
        except OSError as error:
            raise CommandError(f"{name}: cannot read the file ({error.strerror}).") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{name}: the file is not UTF-8 text.") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{name}: not a JSON document ({error}).") from error
        try:
            report = public_data_import(document=document)
        except PublicDataError as error:
            raise CommandError(f"{name}: nothing was imported.\n{error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: {report.cities} cities, {report.practices} practices, "
                f"{report.partnerships} partnerships and {report.organisations} partner "
                f"organisations imported; {report.creative_fields} creative fields and the "
                "mission tags updated from the file."
            )
        )
