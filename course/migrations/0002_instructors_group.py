"""The Instructors group and its permissions (see course/instructors.py)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from course.instructors import INSTRUCTORS_GROUP, update_instructors_group


def create_instructors_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # Django makes permissions after all migrations have run; make them now, so that a
    # fresh database gets the group with its permissions.
    for label in ["course", "quizzes"]:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0, using=using)
    update_instructors_group(apps, using=using)


def remove_instructors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INSTRUCTORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("course", "0001_initial"),
        ("quizzes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_instructors_group, remove_instructors_group)]
