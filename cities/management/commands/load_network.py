from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cities.services import NetworkFileError, network_load

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "uccn_cities.csv"


class Command(BaseCommand):
    help = "Create or update the network's member cities from a CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_FILE),
            help=f"CSV with the columns city, country_code, creative_field, designation_year, "
            f"latitude, longitude (default: {DEFAULT_FILE.name}, shipped with the portal)",
        )

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            with path.open(encoding="utf-8-sig", newline="") as lines:
                report = network_load(lines=lines)
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: the file is not UTF-8 text.") from error
        except NetworkFileError as error:
            raise CommandError(
                f"{path}: nothing was loaded.\n" + "\n".join(error.problems)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged."
            )
        )
        if report.not_in_file:
            names = ", ".join(str(city) for city in report.not_in_file)
            self.stdout.write(
                self.style.WARNING(f"{len(report.not_in_file)} cities are not in the file: {names}")
            )
