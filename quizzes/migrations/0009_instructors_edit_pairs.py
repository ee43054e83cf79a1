"""Instructors edit match questions' pairs, as they edit choices (course/instructors.py)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from course.instructors import update_instructors_group


def let_instructors_edit_pairs(apps, schema_editor):
    using = schema_editor.connection.alias
    # Django makes a new model's permissions after all migrations have run; make them now.
    create_permissions(global_apps.get_app_config("quizzes"), apps=apps, verbosity=0, using=using)
    update_instructors_group(apps, using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_match_and_order"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(let_instructors_edit_pairs, migrations.RunPython.noop)]
