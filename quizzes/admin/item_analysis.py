"""Item analysis in the admin: how learners do on a quiz and on each of its questions."""

from django.contrib import admin
from django.template.loader import render_to_string

from quizzes.analysis import (
    part_results,
    percent,
    question_results,
    quiz_result,
    with_attempt_counts,
)


class ItemAnalysisColumns:
    """The quiz admin's columns and read-only field that say how learners do."""

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
        questions = question_results(quiz)
        parts = part_results(quiz)
        for question in questions:
            question.parts = parts.get(question.version_id)
        return render_to_string(
            "admin/quizzes/quiz/item_analysis.html",
            {"quiz": quiz_result(quiz), "questions": questions},
        )
