"""Editing quizzes in the admin: quizzes, their questions and choices, and the learner's
preview of a question."""

import html

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from quizzes.admin.item_analysis import ItemAnalysisColumns
from quizzes.cards import question_card
from quizzes.models import Choice, Question, Quiz, choice_set_problems


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", "prompt", "takeaway", "heading_id", "active"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quiz)
class QuizAdmin(ItemAnalysisColumns, admin.ModelAdmin):
    list_display = ["section", "title", "pass_mark", "shuffle", "attempts", "pass_rate"]
    search_fields = ["title", "section__title", "section__number"]
    fields = ["section", "title", "pass_mark", "shuffle", "item_analysis"]
    readonly_fields = ["item_analysis"]
    inlines = [QuestionInline]


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Refuse what the importer refuses: too few choices or the wrong number right.

    Only active choices count: retired ones are kept for the history, learners never see
    them. A choice learners picked cannot be deleted, only retired.
    """

    def clean(self):
        super().clean()
        answered = Choice.objects.filter(
            pk__in=[form.instance.pk for form in self.deleted_forms if form.instance.pk],
            answers__isnull=False,
        ).distinct()
        if answered:
            raise ValidationError(
                [
                    ValidationError(
                        f"Learners chose “{choice.text}”, so it stays in their history: "
                        "untick Active to retire it instead of deleting it.",
                        code="answered",
                    )
                    for choice in answered
                ]
            )
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("active")
        ]
        # The admin applies the question form to self.instance before validating choices,
        # so its kind is the one just submitted.
        problems = choice_set_problems(
            self.instance.kind,
            [(data.get("text", ""), data.get("correct", False)) for data in kept],
        )
        if problems:
            raise ValidationError(
                [ValidationError(p[0].upper() + p[1:] + ".", code="choices") for p in problems]
            )


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "correct", "feedback", "active"]
    extra = 0
    ordering = ["position"]
    formfield_overrides = {
        Choice._meta.get_field("feedback").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 50})
        }
    }


CARD_TEMPLATE = "quizzes/question.html#question-card"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["quiz", "position", "short_prompt", "kind", "active"]
    list_filter = ["quiz", "kind", "active"]
    search_fields = ["prompt", "explanation"]
    inlines = [ChoiceInline]
    fields = [
        "quiz",
        "position",
        "kind",
        "prompt",
        "explanation",
        "takeaway",
        "heading_id",
        "active",
    ]

    @admin.display(description="Prompt")
    def short_prompt(self, question):
        # The rendered text, without Markdown's asterisks; escaped again by the admin.
        return Truncator(html.unescape(strip_tags(question.prompt_html))).chars(80)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "takeaway":
            kwargs["queryset"] = db_field.related_model.objects.select_related("section")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.learner_preview),
            name="quizzes_question_preview",
        )
        return [preview, *super().get_urls()]

    def learner_preview(self, request, object_id):
        """The saved question's card on the learner's site: before answering, after a right
        answer, and after each wrong choice (so every feedback can be read)."""
        question = self.get_object(request, unquote(object_id))
        if question is None:
            raise Http404
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        quiz = question.quiz
        choices = list(question.choices.filter(active=True).order_by("position"))
        count = quiz.questions.filter(active=True).count()
        progress = {"progress_text": f"Question {question.position} of {count}"}

        def card(key, **answer):
            context = question_card(question, choices, section=quiz.section, **answer)
            # Several cards on one page: each gets its own element ids.
            context = {**progress, **context, "card_key": f"-{key}"}
            return render_to_string(CARD_TEMPLATE, context, request)

        right_ids = {choice.pk for choice in choices if choice.correct}
        return TemplateResponse(
            request,
            "quizzes/question_preview.html",
            {
                "question": question,
                "quiz": quiz,
                "change_url": reverse("admin:quizzes_question_change", args=[question.pk]),
                "cards": [
                    ("Before answering", card("before")),
                    (
                        "After a right answer",
                        card("right", locked=True, chosen_ids=right_ids, correct=True),
                    ),
                ],
                "wrong_answers": [
                    (
                        choice.text,
                        card(
                            f"wrong-{choice.pk}", locked=True, chosen_ids={choice.pk}, correct=False
                        ),
                    )
                    for choice in choices
                    if not choice.correct
                ],
            },
        )
