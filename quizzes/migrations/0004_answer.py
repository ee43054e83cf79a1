"""Rename Response to Answer, keeping every row: the table, its many-to-many table of
chosen choices and their columns are renamed, not copied."""

import django.db.models.deletion
from django.db import migrations, models

from course.instructors import update_instructors_group


def rename_permissions(apps, schema_editor):
    """The content type follows the model by itself; its permissions' codenames do not."""
    Permission = apps.get_model("auth", "Permission")
    using = schema_editor.connection.alias
    for permission in Permission.objects.using(using).filter(
        content_type__app_label="quizzes", codename__endswith="_response"
    ):
        action = permission.codename.removesuffix("_response")
        permission.codename = f"{action}_answer"
        permission.name = f"Can {action} answer"
        permission.save(update_fields=["codename", "name"])
    update_instructors_group(apps, using=using)


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0003_retired_question_takeaway"),
        ("course", "0002_instructors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="response", name="one_response_per_question"),
        migrations.RemoveConstraint(model_name="response", name="one_response_per_position"),
        migrations.RenameModel(old_name="Response", new_name="Answer"),
        migrations.AlterField(
            model_name="answer",
            name="attempt",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="quizzes.attempt",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="quizzes.question",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="chosen",
            field=models.ManyToManyField(blank=True, related_name="answers", to="quizzes.choice"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                fields=("attempt", "question"), name="one_answer_per_question"
            ),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                fields=("attempt", "position"), name="one_answer_per_position"
            ),
        ),
        migrations.RunPython(rename_permissions, migrations.RunPython.noop),
    ]
