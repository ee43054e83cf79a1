"""`manage.py createinstructor NAME`: a staff account in the Instructors group."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from course.instructors import make_instructor

PASSWORD_VARIABLE = "DJANGO_INSTRUCTOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Make a staff account in the Instructors group, or add an existing account to it. "
        f"The password comes from --password, else {PASSWORD_VARIABLE}, else a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help=f"Visible in the shell history and process list; prefer {PASSWORD_VARIABLE} "
            "or the prompt.",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Never prompt: fail when a new account has no password.",
        )

    def handle(self, *args, username, email, password, interactive, **options):
        password = password or os.environ.get(PASSWORD_VARIABLE) or None
        is_new = not get_user_model().objects.filter(username=username).exists()
        if password is None and is_new and interactive:
            password = self._ask_password()
        try:
            user = make_instructor(username, password=password, email=email)
        except ValueError:
            raise CommandError(
                f"A new account needs a password: --password or {PASSWORD_VARIABLE}."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.get_username()} is an instructor."))

    def _ask_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was changed.")
        return password
