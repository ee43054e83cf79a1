"""`manage.py import_content [DIR]`: content/ validated, then imported in one transaction."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from course.content.reader import ContentError
from course.content.sync import import_content


class Command(BaseCommand):
    help = (
        "Import the course from a content folder (default: content/). A bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.BASE_DIR / "content"))
        parser.add_argument(
            "--check", action="store_true", help="Validate the files without writing anything."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also import sections changed in the admin since their last import, "
            "overwriting those changes.",
        )

    def handle(self, *args, directory, check, force, **options):
        try:
            report = import_content(Path(directory), check=check, force=force)
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) found; nothing was imported."
            ) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        for label in report.conflicts:
            self.stderr.write(
                self.style.WARNING(
                    f"conflict: {label} was changed in the admin since the last import and "
                    "its files differ; left as it is. Run export_content to take the admin's "
                    "version into the files, or import_content --force to overwrite it."
                )
            )
        if check:
            self.stdout.write(self.style.SUCCESS(f"{directory} is valid; nothing was written."))
            return
        for label in report.created:
            self.stdout.write(f"created {label}")
        for label in report.updated:
            self.stdout.write(f"updated {label}")
        for label in report.unchanged:
            self.stdout.write(f"unchanged {label}", style_func=lambda text: text)
        summary = (
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged"
        )
        if report.conflicts:
            summary += f", {len(report.conflicts)} left alone (changed in the admin)"
        summary += "."
        if not report.changed:
            summary = f"Nothing changed: {summary}"
        self.stdout.write(self.style.SUCCESS(summary))
