"""`manage.py export_content [DIR]`: the course in the database written back as files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from course.content.exporter import ExportError, export_content


class Command(BaseCommand):
    help = (
        "Write the course in the database into a content folder (default: content/), in "
        "the format import_content reads; files that would not change are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.BASE_DIR / "content"))

    def handle(self, *args, directory, **options):
        try:
            report = export_content(Path(directory))
        except ExportError as error:
            raise CommandError(str(error)) from None
        for name in report.written:
            self.stdout.write(f"wrote {name}")
        for name in report.removed:
            self.stdout.write(f"removed {name} (the section has no quiz with questions)")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        changed = len(report.written) + len(report.removed)
        summary = f"{changed} file(s) changed, {len(report.unchanged)} unchanged in {directory}."
        self.stdout.write(self.style.SUCCESS(summary))
