"""The Instructors group: edits the course, reads learners' results, nothing about accounts.

Deleting is left out on purpose, except for the rows of an inline (a key takeaway, a
choice): a section or question carries learners' history. Users and groups are not
mentioned, so instructors cannot see or change accounts.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

EDIT = ["add", "change", "view"]
READ = ["view"]
PERMISSIONS = {
    "course": {
        "course": ["change", "view"],
        "section": EDIT,
        "keytakeaway": [*EDIT, "delete"],
    },
    "quizzes": {
        "quiz": EDIT,
        "question": EDIT,
        "choice": [*EDIT, "delete"],
        "attempt": READ,
        "response": READ,
        "learner": READ,
        "lessoncompletion": READ,
    },
}


def create_instructors_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # Django makes permissions after all migrations have run; make them now, so that a
    # fresh database gets the group with its permissions.
    for label in PERMISSIONS:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    group, _ = Group.objects.using(using).get_or_create(name="Instructors")
    group.permissions.set(Permission.objects.using(using).filter(wanted))


def remove_instructors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Instructors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("course", "0001_initial"),
        ("quizzes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_instructors_group, remove_instructors_group)]
