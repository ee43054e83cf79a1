"""What the quiz pages share: the learner's own attempt, fragment or page, and refusals."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from course.models import without_lesson_text
from quizzes.checking import AnswerRefused
from quizzes.learners import current_learner
from quizzes.models import Attempt


def own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    """The learner's own attempt; anyone else's answers 404, as if it did not exist."""
    learner = current_learner(request)
    if learner is None:
        raise Http404
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__section__course").defer(
            *without_lesson_text("quiz__section__")
        ),
        pk=attempt_id,
        learner=learner,
        quiz__section__published=True,
    )
    attempt.learner = learner  # in hand already: answering schedules reviews for them
    return attempt


def wants_fragment(request: HttpRequest) -> bool:
    """htmx asks for the fragment it swaps; a page load or history restore, the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_or_fragment(request: HttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if wants_fragment(request) else template


def answer_parts(form) -> dict[str, str]:
    """A match or order answer's fields: {"pair-<id>": option id} or {"place-<id>": place}."""
    return {name: value for name, value in form.items() if name.startswith(("pair-", "place-"))}


def kept_on_error(form) -> dict[str, str]:
    """What a card shown again with an error keeps of what the learner set: a match or
    order answer's fields and how sure they said they were."""
    return {**answer_parts(form), "confidence": form.get("confidence", "")}


def refusal_page(
    request: HttpRequest, refusal: AnswerRefused, *, attempt: Attempt | None = None
) -> TemplateResponse:
    return TemplateResponse(
        request,
        page_or_fragment(request, "quizzes/refused.html", "refusal"),
        {"attempt": attempt, "message": refusal.message},
        status=refusal.status,
    )
