"""The learner report in the admin: attempts, each learner's progress, and every answer
as CSV. Read-only: learners are made by the site as people learn."""

import csv
from itertools import chain

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html_join

from course.models import Section
from quizzes.models import Answer, Attempt, Learner, LessonCompletion, Quiz
from quizzes.progress import course_progress
from quizzes.reports import UTF8_BOM, answer_rows, best_scores


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["position", "version", "correct", "confidence", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # Each answer shows the version of the question it was given.
        return super().get_queryset(request).select_related("version")

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
    inlines = [AnswerInline]

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

    @admin.display(description="Lessons marked read", ordering="read_count")
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
        attempts_url = reverse("admin:quizzes_attempt_changelist")
        return render_to_string(
            "admin/quizzes/learner/progress.html",
            {
                "progress": course_progress(learner, Section.objects.published()),
                "attempts_url": f"{attempts_url}?learner__id__exact={learner.pk}",
            },
        )

    def get_urls(self):
        download = path(
            "responses.csv",
            self.admin_site.admin_view(self.answers_csv),
            name="quizzes_learner_answers_csv",
        )
        return [download, *super().get_urls()]

    def answers_csv(self, request):
        """Every answer, one row each, streamed as it is read from the database; the
        byte-order mark first, so that spreadsheet programs read the names as UTF-8."""
        if not request.user.has_perm("quizzes.view_answer"):
            raise PermissionDenied
        writer = csv.writer(_Echo())
        return StreamingHttpResponse(
            chain([UTF8_BOM], (writer.writerow(row) for row in answer_rows())),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="responses.csv"'},
        )


class _Echo:
    """A file that hands back what is written to it: csv.writer then yields each line."""

    def write(self, line):
        return line
