"""`manage.py backup FILE`: a consistent copy of the live SQLite database, checked."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to PATH while the site runs, using SQLite's online "
        "backup API, then check the copy. For PostgreSQL use pg_dump (see README)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="Where to write the copy; must not exist yet. Missing folders are made."
        )

    def handle(self, *args, path, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "This database is PostgreSQL: back it up with pg_dump, e.g. "
                'pg_dump --format=custom --file=course.dump "$DATABASE_URL".'
            )
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} already exists; choose a new file name.")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make the folder {target.parent}: {error}") from error
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        copy = sqlite3.connect(target)
        try:
            # One step, one consistent snapshot, while others go on writing (WAL lets
            # them): a backup in small steps restarts whenever another connection writes,
            # and may never finish on a busy site. A plain file copy is not consistent.
            source.backup(copy)
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
        if result != "ok":
            target.unlink(missing_ok=True)
            raise CommandError(f"The copy failed its integrity check: {result}")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target} (integrity check: ok)."))
