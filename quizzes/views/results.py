"""Results of a finished attempt: each answer explained (or only those missed), the score,
how sure the learner was, and where to go next."""

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from course.models import Section
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
    section = attempt.quiz.section
    rows = [result_row(answer, section=section) for answer in answers]
    missed = [row for row in rows if not row["correct"]]
    only_missed = request.GET.get("show") == "missed"
    return TemplateResponse(
        request,
        "quizzes/results.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "section": section,
            "rows": missed if only_missed else rows,
            "only_missed": only_missed,
            "missed_count": len(missed),
            "next_section": Section.objects.published()
            .filter(sort_key__gt=section.sort_key)
            .only("number", "title", "slug")
            .first(),
            "sure_total": len(sure),
            "sure_right": sum(1 for answer in sure if answer.correct),
        },
    )
