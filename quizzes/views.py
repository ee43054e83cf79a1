from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from course.models import Section
from quizzes import scoring
from quizzes.learners import current_learner
from quizzes.models import Attempt, Quiz
from quizzes.progress import course_progress, set_lesson_complete

# Fragments htmx swaps in place of the question card.
CARD_REFUSALS = {"nothing_chosen", "already_answered"}
SECTION_TEXT = ["quiz__section__body", "quiz__section__body_html", "quiz__section__toc"]


def _published_quiz(slug):
    return get_object_or_404(
        Quiz.objects.select_related("section"), section__slug=slug, section__published=True
    )


def _own_attempt(request, attempt_id):
    """The learner's own attempt; anyone else's answers 404, as if it did not exist."""
    learner = current_learner(request)
    if learner is None:
        raise Http404
    return get_object_or_404(
        # The section gives titles and links here, never its text.
        Attempt.objects.select_related("quiz__section").defer(*SECTION_TEXT),
        pk=attempt_id,
        learner=learner,
        quiz__section__published=True,
    )


def _wants_fragment(request):
    return bool(request.htmx) and not request.htmx.history_restore_request


@never_cache
@require_GET
def quiz(request, slug):
    quiz = _published_quiz(slug)
    learner = current_learner(request)
    attempts = Attempt.objects.none()
    if learner is not None:
        attempts = Attempt.objects.filter(learner=learner, quiz=quiz)
    finished = [attempt for attempt in attempts if attempt.is_finished]
    return TemplateResponse(
        request,
        "quizzes/quiz.html",
        {
            "quiz": quiz,
            "section": quiz.section,
            "question_count": quiz.questions.filter(active=True).count(),
            "unfinished": next((a for a in attempts if not a.is_finished), None),
            "latest": finished[0] if finished else None,
            "best": max((a.score for a in finished), default=None),
            "finished_count": len(finished),
        },
    )


@never_cache
@require_POST
def start(request, slug):
    quiz = _published_quiz(slug)
    if not quiz.questions.filter(active=True).exists():
        raise Http404
    attempt = scoring.start_attempt(learner=current_learner(request, create=True), quiz=quiz)
    return redirect("quizzes:attempt", attempt.pk)


@never_cache
@require_GET
def attempt(request, attempt_id):
    """Resume: the first unanswered question, or the last one when all are answered."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished:
        return redirect("quizzes:results", attempt.pk)
    first_open = attempt.responses.filter(answered_at=None).order_by("position").first()
    position = first_open.position if first_open else attempt.question_count
    return redirect("quizzes:question", attempt.pk, position)


def _card_context(attempt, response, *, error="", chosen_ids=None):
    """What the question card may show. Before the lock: the prompt and the choices' texts
    only, never which choice is right, any feedback or the explanation."""
    question = response.question
    choices_by_id = {choice.pk: choice for choice in question.choices.all()}
    ordered = [
        choices_by_id[pk]
        for pk in attempt.choice_order.get(str(question.pk), [])
        if pk in choices_by_id
    ]
    context = {
        "attempt": attempt,
        "response": response,
        "prompt_html": question.prompt_html,
        "is_multiple": question.is_multiple,
        "error": error,
        "question_url": reverse("quizzes:question", args=[attempt.pk, response.position]),
    }
    if not response.is_locked:
        context["choices"] = [{"id": choice.pk, "text": choice.text} for choice in ordered]
        return context
    if chosen_ids is None:
        chosen_ids = {choice.pk for choice in response.chosen.all()}
    is_last = response.position >= attempt.question_count
    context.update(
        {
            "result": {
                "correct": response.correct,
                "confidence": response.get_confidence_display(),
                "choices": [
                    {
                        "text": choice.text,
                        "correct": choice.correct,
                        "chosen": choice.pk in chosen_ids,
                        "feedback_html": choice.feedback_html,
                    }
                    for choice in ordered
                ],
                "explanation_html": question.explanation_html,
                "lesson_url": f"{attempt.quiz.section.get_absolute_url()}#{question.heading_id}",
            },
            "is_last": is_last,
            "next_url": None
            if is_last
            else reverse("quizzes:question", args=[attempt.pk, response.position + 1]),
        }
    )
    return context


def _render_card(request, attempt, response, *, error="", status=200, chosen_ids=None):
    template = "quizzes/question.html"
    if _wants_fragment(request):
        template += "#question-card"
    context = _card_context(attempt, response, error=error, chosen_ids=chosen_ids)
    return TemplateResponse(request, template, context, status=status)


def _refused(request, attempt, response, refusal):
    if refusal.code in CARD_REFUSALS and response is not None:
        response.refresh_from_db()
        return _render_card(
            request, attempt, response, error=refusal.message, status=refusal.status
        )
    template = "quizzes/refused.html"
    if _wants_fragment(request):
        template += "#refusal"
    return TemplateResponse(
        request,
        template,
        {"attempt": attempt, "message": refusal.message},
        status=refusal.status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def question(request, attempt_id, position):
    attempt = _own_attempt(request, attempt_id)
    responses = attempt.responses.select_related("question").prefetch_related("question__choices")
    if request.method == "GET":
        responses = responses.prefetch_related("chosen")  # an answer knows what it chose
    response = get_object_or_404(responses, position=position)
    if request.method == "POST":
        try:
            chosen_ids = scoring.answer(
                response=response,
                raw_choice_ids=request.POST.getlist("choice"),
                confidence=request.POST.get("confidence", ""),
            )
        except scoring.AnswerRefused as refusal:
            return _refused(request, attempt, response, refusal)
        if not _wants_fragment(request):
            return redirect("quizzes:question", attempt.pk, position)
        return _render_card(request, attempt, response, chosen_ids=chosen_ids)
    if attempt.is_finished:
        return redirect("quizzes:results", attempt.pk)
    first_open = attempt.responses.filter(answered_at=None).order_by("position").first()
    if first_open is not None and first_open.position < position:
        return redirect("quizzes:question", attempt.pk, first_open.position)
    return _render_card(request, attempt, response)


@never_cache
@require_POST
def finish(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    try:
        scoring.finish(attempt=attempt)
    except scoring.AnswerRefused as refusal:
        return _refused(request, attempt, None, refusal)
    return redirect("quizzes:results", attempt.pk)


@never_cache
@require_GET
def results(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quizzes:attempt", attempt.pk)
    responses = attempt.responses.select_related("question").prefetch_related(
        "chosen", "question__choices"
    )
    section_url = attempt.quiz.section.get_absolute_url()
    rows = []
    for response in responses:
        question = response.question
        rows.append(
            {
                "position": response.position,
                "prompt_html": question.prompt_html,
                "correct": response.correct,
                "chosen": [choice.text for choice in response.chosen.all()],
                "right_answers": [c.text for c in question.choices.all() if c.correct],
                "explanation_html": question.explanation_html,
                "lesson_url": f"{section_url}#{question.heading_id}",
            }
        )
    return TemplateResponse(
        request,
        "quizzes/results.html",
        {"attempt": attempt, "quiz": attempt.quiz, "section": attempt.quiz.section, "rows": rows},
    )


@never_cache
@require_POST
def lesson_complete(request, slug):
    """Mark a lesson read (complete=1) or not read (complete=0)."""
    section = get_object_or_404(Section.objects.published(), slug=slug)
    complete = request.POST.get("complete")
    if complete not in ("0", "1"):
        return TemplateResponse(
            request,
            "quizzes/refused.html",
            {"message": "Say whether the lesson is complete (1) or not (0)."},
            status=400,
        )
    learner = current_learner(request, create=complete == "1")
    if learner is not None:
        set_lesson_complete(learner=learner, section=section, complete=complete == "1")
    if not _wants_fragment(request):
        return redirect(f"{section.get_absolute_url()}#completion")
    return TemplateResponse(
        request,
        "course/lesson.html#completion",
        {"section": section, "read": complete == "1", "just_changed": True},
    )


@never_cache
@require_GET
def my_progress(request):
    learner = current_learner(request)
    sections = list(Section.objects.published().select_related("quiz"))
    progress = course_progress(learner, sections)
    attempts = []
    if learner is not None:
        attempts = list(
            Attempt.objects.filter(
                learner=learner, finished_at__isnull=False, quiz__section__published=True
            )
            .select_related("quiz__section")
            .order_by("-finished_at")
        )
    return TemplateResponse(
        request, "quizzes/progress.html", {"progress": progress, "attempts": attempts}
    )
