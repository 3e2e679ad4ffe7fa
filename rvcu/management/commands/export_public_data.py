from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rvcu.public_data import public_data_export


class Command(BaseCommand):
    help = (
        "Write the network's public data (creative fields, mission tags, cities, published "
        "practices and partnerships) as one JSON document. No drafts, accounts or history."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default="-",
            help="where to write the document (default, or '-': standard output)",
        )

    def handle(self, *args, file, **options):
        if file == "-":
            public_data_export(write=lambda text: self.stdout.write(text, ending=""))
            return
        path = Path(file)
        # Written beside the target, then renamed: an export cut short never replaces the
        # last good document with a truncated one.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("w", encoding="utf-8") as output:
                public_data_export(write=output.write)
            partial.replace(path)
        except OSError as error:
            raise CommandError(f"{path}: cannot write the file ({error.strerror}).") from error
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Public data written to {path}."))
