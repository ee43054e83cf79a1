"""Taking a quiz: its landing page, starting or resuming an attempt, each question's card
(answered in place with htmx, or by a plain POST and redirect) and finishing."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from course.models import without_lesson_text
from quizzes import scoring
from quizzes.cards import lesson_link, ordered_choices, question_card
from quizzes.checking import FIXABLE, AnswerRefused
from quizzes.learners import current_learner
from quizzes.models import Answer, Attempt, Quiz
from quizzes.progress import QuizRecord
from quizzes.views.common import (
    answer_parts,
    kept_on_error,
    own_attempt,
    page_or_fragment,
    refusal_page,
    wants_fragment,
)

# Refusals the learner can put right on the card itself: it is shown again with the message.
CARD_REFUSALS = {*FIXABLE, "already_answered"}


def _published_quiz(slug):
    return get_object_or_404(
        Quiz.objects.select_related("section__course").defer(*without_lesson_text("section__")),
        section__slug=slug,
        section__published=True,
    )


@never_cache
@require_safe
def quiz_page(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _published_quiz(slug)
    learner = current_learner(request)
    attempts = []
    if learner is not None:
        attempts = list(Attempt.objects.filter(learner=learner, quiz=quiz).order_by("started_at"))
    record = QuizRecord()
    for attempt in attempts:
        if not attempt.abandoned:
            record.add(score=attempt.score, passed=attempt.passed, finished=attempt.is_finished)
    finished = [attempt for attempt in attempts if attempt.is_finished]
    return TemplateResponse(
        request,
        "quizzes/quiz.html",
        {
            "quiz": quiz,
            "section": quiz.section,
            "question_count": quiz.questions.filter(active=True).count(),
            "unfinished": next(
                (a for a in attempts if not a.is_finished and not a.abandoned), None
            ),
            "latest": max(finished, key=lambda a: a.finished_at, default=None),
            "best": record.best,
            "finished_count": record.attempts,
        },
    )


@never_cache
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _published_quiz(slug)
    if not quiz.questions.filter(active=True).exists():
        raise Http404
    attempt = scoring.start_attempt(learner=current_learner(request, create=True), quiz=quiz)
    return redirect("quizzes:attempt", attempt.pk)


def _first_open_position(attempt):
    first_open = attempt.answers.filter(answered_at=None).order_by("position").first()
    return first_open.position if first_open else None


@never_cache
@require_safe
def resume(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The first unanswered question, or the last one when all are answered."""
    attempt = own_attempt(request, attempt_id)
    if attempt.is_finished:
        return redirect("quizzes:results", attempt.pk)
    if attempt.abandoned:
        return redirect(attempt.quiz.get_absolute_url())
    position = _first_open_position(attempt) or attempt.question_count
    return redirect("quizzes:question", attempt.pk, position)


def _card_context(attempt, answer, *, error="", checked=None, selected=None):
    """`checked` is the answer just locked; without it a locked answer is read back."""
    choices = ordered_choices(answer.version, attempt.choice_order.get(str(answer.question_id), []))
    chosen_ids, parts = (), ()
    if checked is not None:
        chosen_ids, parts = checked.chosen_ids, checked.parts
    elif answer.is_locked and answer.version.in_parts:
        parts = answer.parts.all()
    elif answer.is_locked:
        chosen_ids = {choice.pk for choice in answer.chosen.all()}
    context = question_card(
        answer.version,
        choices,
        lesson_url=lesson_link(answer.question, section=attempt.quiz.section),
        locked=answer.is_locked,
        chosen_ids=chosen_ids,
        parts=parts,
        correct=answer.correct,
        confidence=answer.confidence,
        error=error,
        selected=selected,
    )
    context.update(
        {
            "attempt": attempt,
            "answer": answer,
            "progress_text": f"Question {answer.position} of {attempt.question_count}",
            "page_title": f"Question {answer.position} of {attempt.question_count}: "
            f"{attempt.quiz.title}",
            "question_url": reverse("quizzes:question", args=[attempt.pk, answer.position]),
        }
    )
    if answer.is_locked:
        if answer.position >= attempt.question_count:
            context["finish_url"] = reverse("quizzes:finish", args=[attempt.pk])
        else:
            context["next_url"] = reverse(
                "quizzes:question", args=[attempt.pk, answer.position + 1]
            )
            context["next_label"] = "Next question"
    return context


def _render_card(request, attempt, answer, *, status=200, **card):
    return TemplateResponse(
        request,
        page_or_fragment(request, "quizzes/question.html", "question-card"),
        _card_context(attempt, answer, **card),
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def question_page(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = own_attempt(request, attempt_id)
    answers = attempt.answers.select_related("question", "version").prefetch_related(
        "version__choices"
    )
    if request.method == "GET":
        answers = answers.prefetch_related("chosen")  # a locked answer shows what it chose
    answer = get_object_or_404(answers, position=position)
    if request.method == "POST":
        return _answer(request, attempt, answer)
    if attempt.is_finished:
        return redirect("quizzes:results", attempt.pk)
    first_open = _first_open_position(attempt)
    if first_open is not None and first_open < position:
        return redirect("quizzes:question", attempt.pk, first_open)
    return _render_card(request, attempt, answer)


def _answer(request, attempt, answer: Answer):
    try:
        checked = scoring.answer_question(
            answer=answer,
            raw_choice_ids=request.POST.getlist("choice"),
            raw_parts=answer_parts(request.POST),
            confidence=request.POST.get("confidence", ""),
        )
    except AnswerRefused as refusal:
        if refusal.code not in CARD_REFUSALS:
            return refusal_page(request, refusal, attempt=attempt)
        answer.refresh_from_db()
        return _render_card(
            request,
            attempt,
            answer,
            error=refusal.message,
            status=refusal.status,
            selected=kept_on_error(request.POST),
        )
    if not wants_fragment(request):
        return redirect("quizzes:question", attempt.pk, answer.position)
    return _render_card(request, attempt, answer, checked=checked)


@never_cache
@require_POST
def finish(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = own_attempt(request, attempt_id)
    try:
        scoring.finish_attempt(attempt=attempt)
    except AnswerRefused as refusal:
        return refusal_page(request, refusal, attempt=attempt)
    return redirect("quizzes:results", attempt.pk)
