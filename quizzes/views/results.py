"""Results of a finished attempt: each answer explained, the score and how sure the
learner was."""

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quizzes.cards import result_row
from quizzes.models import Answer
from quizzes.views.common import own_attempt


@never_cache
@require_safe
def results_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = own_attempt(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quizzes:attempt", attempt.pk)
    answers = list(
        attempt.answers.select_related("question", "version").prefetch_related(
            "chosen", "version__choices"
        )
    )
    if any(answer.version.in_parts for answer in answers):
        prefetch_related_objects(answers, "version__pairs", "parts")
    sure = [answer for answer in answers if answer.confidence == Answer.SURE]
    return TemplateResponse(
        request,
        "quizzes/results.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "section": attempt.quiz.section,
            "rows": [result_row(answer, section=attempt.quiz.section) for answer in answers],
            "sure_total": len(sure),
            "sure_right": sum(1 for answer in sure if answer.correct),
        },
    )
