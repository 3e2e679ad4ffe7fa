from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rvcu.public_data import public_data_export, public_data_json


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
        text = public_data_json(public_data_export())
        if file == "-":
            self.stdout.write(text)
            return
        path = Path(file)
        try:
            _write_whole(path, text + "\n")
        except OSError as error:
            raise CommandError(f"{path}: cannot write the file ({error.strerror}).") from error
        self.stdout.write(self.style.SUCCESS(f"Public data written to {path}."))


def _write_whole(path, text):
    """Write `text` to `path` through a temporary file beside it, so that an interrupted
    export never leaves a truncated document where the last good one was."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
