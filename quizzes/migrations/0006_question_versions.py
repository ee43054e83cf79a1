"""Question versions: every question gets the version learners answered, and every answer
and review answer points at it, so later edits leave their history alone.

Choices and questions get keys made from their text. A question with retired choices gets
two versions: the first with every choice (what earlier attempts may have shown), the
second with the active ones; an answer that was shown or chose a retired choice keeps the
first, every other answer the second.
"""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify


def key_from(text, taken):
    base = ""
    for word in slugify(text).split("-"):  # whole words, up to about 30 characters
        if base and len(base) + len(word) >= 30:
            break
        base = f"{base}-{word}" if base else word
    base = base or "item"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def fingerprint(question, choices):
    meaning = {
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "choices": sorted([c.key, c.text, c.correct, c.feedback] for c in choices),
    }
    return hashlib.sha256(json.dumps(meaning, sort_keys=True).encode()).hexdigest()


def make_versions(apps, schema_editor):
    Question = apps.get_model("quizzes", "Question")
    QuestionVersion = apps.get_model("quizzes", "QuestionVersion")
    VersionChoice = apps.get_model("quizzes", "VersionChoice")
    Answer = apps.get_model("quizzes", "Answer")
    ReviewAnswer = apps.get_model("quizzes", "ReviewAnswer")
    Attempt = apps.get_model("quizzes", "Attempt")
    now = timezone.now()
    question_keys = {}
    for question in Question.objects.order_by("quiz_id", "-active", "position"):
        taken = question_keys.setdefault(question.quiz_id, set())
        question.key = key_from(question.prompt, taken)
        taken.add(question.key)
        choices = list(question.choices.order_by("-active", "position"))
        choice_keys = set()
        for choice in choices:
            choice.key = key_from(choice.text, choice_keys)
            choice_keys.add(choice.key)
            choice.save(update_fields=["key"])
        choices.sort(key=lambda c: c.position)
        active = [c for c in choices if c.active]
        version_sets = [choices, active] if len(active) < len(choices) else [choices]
        new_choice_of = {}  # (version number, old choice id) -> version choice
        for number, chosen_set in enumerate(version_sets, start=1):
            version = QuestionVersion.objects.create(
                question=question,
                number=number,
                kind=question.kind,
                prompt=question.prompt,
                prompt_html=question.prompt_html,
                explanation=question.explanation,
                explanation_html=question.explanation_html,
                fingerprint=fingerprint(question, chosen_set),
                created_at=now,
            )
            for choice in chosen_set:
                new_choice_of[number, choice.pk] = VersionChoice.objects.create(
                    version=version,
                    key=choice.key,
                    position=choice.position,
                    text=choice.text,
                    correct=choice.correct,
                    feedback=choice.feedback,
                    feedback_html=choice.feedback_html,
                )
        question.current_version = version
        question.save(update_fields=["key", "current_version"])
        versions = {v.number: v for v in QuestionVersion.objects.filter(question=question)}
        retired = {c.pk for c in choices if not c.active}

        def version_number(shown_or_chosen):
            return 1 if retired & set(shown_or_chosen) else len(version_sets)

        for answer in Answer.objects.filter(question=question).select_related("attempt"):
            attempt = answer.attempt
            shown = attempt.choice_order.get(str(question.pk), [])
            old_chosen = list(answer.chosen.values_list("pk", flat=True))
            number = version_number(shown + old_chosen)
            answer.version = versions[number]
            answer.save(update_fields=["version"])
            answer.picked.set([new_choice_of[number, pk] for pk in old_chosen])
            attempt.choice_order[str(question.pk)] = [
                new_choice_of[number, pk].pk for pk in shown if (number, pk) in new_choice_of
            ]
            Attempt.objects.filter(pk=attempt.pk).update(choice_order=attempt.choice_order)
        for review in ReviewAnswer.objects.filter(question=question):
            old_chosen = list(review.chosen.values_list("pk", flat=True))
            number = version_number(old_chosen)
            review.version = versions[number]
            review.save(update_fields=["version"])
            review.picked.set([new_choice_of[number, pk] for pk in old_chosen])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0005_learner_browser_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="key",
            field=models.SlugField(
                blank=True,
                max_length=60,
                help_text="The question's name within its quiz, kept when questions are "
                "reordered; made from the prompt when left empty.",
            ),
        ),
        migrations.AddField(
            model_name="choice",
            name="key",
            field=models.SlugField(
                blank=True,
                max_length=60,
                help_text="The choice's name within its question, kept when choices are "
                "reordered; made from the text when left empty.",
            ),
        ),
        migrations.AlterField(
            model_name="choice",
            name="active",
            field=models.BooleanField(
                default=True, help_text="Only active choices are offered in new attempts."
            ),
        ),
        migrations.CreateModel(
            name="QuestionVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField()),
                ("kind", models.CharField(choices=[("single", "One answer"), ("multiple", "Select all that apply")], max_length=8)),
                ("prompt", models.TextField()),
                ("prompt_html", models.TextField()),
                ("explanation", models.TextField()),
                ("explanation_html", models.TextField()),
                ("fingerprint", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField()),
                ("question", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="quizzes.question")),
            ],
            options={
                "ordering": ["question", "number"],
                "constraints": [models.UniqueConstraint(fields=("question", "number"), name="unique_version_number")],
            },
        ),
        migrations.CreateModel(
            name="VersionChoice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(max_length=60)),
                ("position", models.PositiveSmallIntegerField()),
                ("text", models.CharField(max_length=500)),
                ("correct", models.BooleanField()),
                ("feedback", models.TextField()),
                ("feedback_html", models.TextField()),
                ("version", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="choices", to="quizzes.questionversion")),
            ],
            options={
                "ordering": ["version", "position"],
                "constraints": [models.UniqueConstraint(fields=("version", "key"), name="unique_version_choice_key")],
            },
        ),
        migrations.AddField(
            model_name="question",
            name="current_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="What new attempts ask (see quizzes/versions.py).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="quizzes.questionversion",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="version",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="answers", to="quizzes.questionversion"),
        ),
        migrations.AddField(
            model_name="answer",
            name="picked",
            field=models.ManyToManyField(blank=True, related_name="+", to="quizzes.versionchoice"),
        ),
        migrations.AddField(
            model_name="reviewanswer",
            name="version",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="review_answers", to="quizzes.questionversion"),
        ),
        migrations.AddField(
            model_name="reviewanswer",
            name="picked",
            field=models.ManyToManyField(blank=True, related_name="+", to="quizzes.versionchoice"),
        ),
        migrations.RunPython(make_versions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="answer", name="chosen"),
        migrations.RemoveField(model_name="reviewanswer", name="chosen"),
        migrations.RenameField(model_name="answer", old_name="picked", new_name="chosen"),
        migrations.RenameField(model_name="reviewanswer", old_name="picked", new_name="chosen"),
        migrations.AlterField(
            model_name="answer",
            name="chosen",
            field=models.ManyToManyField(blank=True, related_name="answers", to="quizzes.versionchoice"),
        ),
        migrations.AlterField(
            model_name="reviewanswer",
            name="chosen",
            field=models.ManyToManyField(blank=True, related_name="review_answers", to="quizzes.versionchoice"),
        ),
        migrations.AlterField(
            model_name="answer",
            name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="answers", to="quizzes.questionversion"),
        ),
        migrations.AlterField(
            model_name="reviewanswer",
            name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="review_answers", to="quizzes.questionversion"),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(condition=Q(active=True), fields=("quiz", "key"), name="unique_active_question_key"),
        ),
        migrations.AddConstraint(
            model_name="choice",
            constraint=models.UniqueConstraint(condition=Q(active=True), fields=("question", "key"), name="unique_active_choice_key"),
        ),
    ]
