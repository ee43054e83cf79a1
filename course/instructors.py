"""Instructors: staff accounts in the "Instructors" group.

Its members edit the course (sections, takeaways, quizzes, questions, choices) and read how
learners do (attempts, answers, progress), and nothing about accounts or groups. The
group is made by a data migration (course/migrations/0002) with `update_instructors_group`.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q

INSTRUCTORS_GROUP = "Instructors"

EDIT = ["add", "change", "view"]
READ = ["view"]
# Deleting is left out on purpose, except for the rows of an inline (a key takeaway, a
# choice): a section or a question carries learners' history. Users and groups are not
# mentioned, so instructors can neither see nor change accounts.
INSTRUCTOR_PERMISSIONS = {
    "course": {
        "course": ["change", "view"],
        "section": EDIT,
        "keytakeaway": [*EDIT, "delete"],
    },
    "quizzes": {
        "quiz": EDIT,
        "question": EDIT,
        "choice": [*EDIT, "delete"],
        "pair": [*EDIT, "delete"],
        "attempt": READ,
        "answer": READ,
        "learner": READ,
        "lessoncompletion": READ,
    },
}


def update_instructors_group(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Create the Instructors group, or reset it to exactly INSTRUCTOR_PERMISSIONS.

    `apps` is the migration's app registry when a migration calls it. Permissions that do
    not exist yet are skipped.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for app_label, models in INSTRUCTOR_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    group, _ = Group.objects.using(using).get_or_create(name=INSTRUCTORS_GROUP)
    group.permissions.set(Permission.objects.using(using).filter(wanted))
    return group


def make_instructor(username, *, password=None, email=""):
    """Create a staff account in the Instructors group, or move an existing account into it.

    A new account needs a password; it is checked by the site's password validators
    (ValidationError when refused). An existing account keeps its password unless one
    is given.
    """
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, email=email)
    if password is None and user.pk is None:
        raise ValueError("A new instructor account needs a password.")
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    user.is_staff = True
    with transaction.atomic():
        user.save()
        user.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    return user
