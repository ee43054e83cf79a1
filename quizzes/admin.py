import csv
import html

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join, strip_tags
from django.utils.text import Truncator

from course.models import Section
from quizzes.analysis import percent, question_results, quiz_result, with_attempt_counts
from quizzes.cards import question_card
from quizzes.models import (
    Attempt,
    Choice,
    Learner,
    LessonCompletion,
    Question,
    Quiz,
    Response,
    choice_set_problems,
)
from quizzes.progress import course_progress
from quizzes.reports import best_scores, response_rows


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
class QuizAdmin(admin.ModelAdmin):
    list_display = ["section", "title", "pass_mark", "shuffle", "attempts", "pass_rate"]
    search_fields = ["title", "section__title", "section__number"]
    fields = ["section", "title", "pass_mark", "shuffle", "item_analysis"]
    readonly_fields = ["item_analysis"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return with_attempt_counts(super().get_queryset(request).select_related("section"))

    @admin.display(description="Finished attempts", ordering="finished_attempts")
    def attempts(self, quiz):
        return quiz.finished_attempts

    @admin.display(description="Pass rate")
    def pass_rate(self, quiz):
        rate = percent(quiz.passed_attempts, quiz.finished_attempts)
        return "—" if rate is None else f"{rate}%"

    @admin.display(description="How learners do")
    def item_analysis(self, quiz):
        if not quiz.pk:
            return "Learners' results appear here once the quiz is saved and taken."
        return render_to_string(
            "admin/quizzes/quiz/item_analysis.html",
            {"quiz": quiz_result(quiz), "questions": question_results(quiz)},
        )


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Refuse what the importer refuses: too few choices or the wrong number right.

    Only active choices count: retired ones are kept for the history, learners never see
    them. A choice learners picked cannot be deleted, only retired.
    """

    def clean(self):
        super().clean()
        answered = Choice.objects.filter(
            pk__in=[form.instance.pk for form in self.deleted_forms if form.instance.pk],
            responses__isnull=False,
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


class ResponseInline(admin.TabularInline):
    model = Response
    fields = ["position", "question", "correct", "confidence", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["learner", "quiz", "started_at", "finished_at", "score", "passed"]
    list_filter = ["quiz", "passed"]
    readonly_fields = [
        "learner",
        "quiz",
        "started_at",
        "finished_at",
        "question_count",
        "correct_count",
        "score",
        "passed",
    ]
    exclude = ["choice_order"]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AccountFilter(admin.SimpleListFilter):
    title = "account"
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("yes", "Signed up"), ("no", "Anonymous")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(user__isnull=self.value() == "no")
        return queryset


# The report's filters select learners with subqueries, not joins: a join would multiply
# the rows that the "sections read" count is made from.
class ReadLessonFilter(admin.SimpleListFilter):
    title = "lesson read"
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [(str(section.pk), str(section)) for section in Section.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            readers = LessonCompletion.objects.filter(section_id=self.value())
            return queryset.filter(pk__in=readers.values("learner_id"))
        return queryset


class PassedQuizFilter(admin.SimpleListFilter):
    title = "quiz passed"
    parameter_name = "passed"

    def lookups(self, request, model_admin):
        return [(str(quiz.pk), str(quiz)) for quiz in Quiz.objects.select_related("section")]

    def queryset(self, request, queryset):
        if self.value():
            passes = Attempt.objects.filter(quiz_id=self.value(), passed=True)
            return queryset.filter(pk__in=passes.values("learner_id"))
        return queryset


class LearnerChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # The best scores of the whole page in one query, not one query per row.
        self.result_list = list(self.result_list)
        scores = best_scores([learner.pk for learner in self.result_list])
        for learner in self.result_list:
            learner.quiz_scores = scores.get(learner.pk, [])


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    """The learner report: read-only; learners are made by the site as people learn."""

    list_display = ["__str__", "account", "sections_read", "quiz_scores", "created_at"]
    list_filter = [AccountFilter, PassedQuizFilter, ReadLessonFilter]
    search_fields = ["user__username", "user__email"]
    fields = ["username", "created_at", "last_section", "progress"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(read_count=Count("completions"))
        )

    def get_changelist(self, request, **kwargs):
        return LearnerChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Account", boolean=True, ordering="user")
    def account(self, learner):
        return learner.user_id is not None

    @admin.display(description="Account")
    def username(self, learner):
        # Text, not a link: instructors have no access to accounts.
        return learner.user.get_username() if learner.user_id else "None: an anonymous visitor"

    @admin.display(description="Sections read", ordering="read_count")
    def sections_read(self, learner):
        return learner.read_count

    @admin.display(description="Best score per quiz")
    def quiz_scores(self, learner):
        if not learner.quiz_scores:
            return "—"
        return format_html_join(
            ", ",
            "{}: {}%{}",
            (
                (number, best, " passed" if passed else "")
                for number, best, passed in learner.quiz_scores
            ),
        )

    @admin.display(description="Progress")
    def progress(self, learner):
        sections = list(Section.objects.published().select_related("quiz"))
        attempts_url = reverse("admin:quizzes_attempt_changelist")
        return render_to_string(
            "admin/quizzes/learner/progress.html",
            {
                "progress": course_progress(learner, sections),
                "attempts_url": f"{attempts_url}?learner__id__exact={learner.pk}",
            },
        )

    def get_urls(self):
        download = path(
            "responses.csv",
            self.admin_site.admin_view(self.responses_csv),
            name="quizzes_learner_responses_csv",
        )
        return [download, *super().get_urls()]

    def responses_csv(self, request):
        """Every answer, one row per response, streamed as it is read from the database."""
        if not request.user.has_perm("quizzes.view_response"):
            raise PermissionDenied
        writer = csv.writer(_Echo())
        return StreamingHttpResponse(
            (writer.writerow(row) for row in response_rows()),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="responses.csv"'},
        )


class _Echo:
    """A file that hands back what is written to it: csv.writer then yields each line."""

    def write(self, line):
        return line
