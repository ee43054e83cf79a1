from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from course.models import Section
from quizzes import scoring
from quizzes.answers import AnswerRefused
from quizzes.cards import ordered_choices, question_card
from quizzes.learners import current_learner
from quizzes.models import Attempt, Question, Quiz, Response, ReviewAnswer
from quizzes.progress import course_progress, set_lesson_complete
from quizzes.review import answer_review, due_items, question_for, shuffled_choices, upcoming

WRONG_REVIEW = "That review answer is not one this page asked for. Reload the Review page."
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
@require_safe
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
            "unfinished": next(
                (a for a in attempts if not a.is_finished and not a.abandoned), None
            ),
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
@require_safe
def attempt(request, attempt_id):
    """Resume: the first unanswered question, or the last one when all are answered."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished:
        return redirect("quizzes:results", attempt.pk)
    if attempt.abandoned:
        return redirect(attempt.quiz.get_absolute_url())
    first_open = attempt.responses.filter(answered_at=None).order_by("position").first()
    position = first_open.position if first_open else attempt.question_count
    return redirect("quizzes:question", attempt.pk, position)


def _card_context(attempt, response, *, error="", chosen_ids=None):
    question = response.question
    choices = ordered_choices(question, attempt.choice_order.get(str(question.pk), []))
    if response.is_locked and chosen_ids is None:
        chosen_ids = {choice.pk for choice in response.chosen.all()}
    is_last = response.position >= attempt.question_count
    context = question_card(
        question,
        choices,
        section=attempt.quiz.section,
        locked=response.is_locked,
        chosen_ids=chosen_ids or (),
        correct=response.correct,
        confidence=response.confidence,
        error=error,
    )
    context.update(
        {
            "attempt": attempt,
            "response": response,
            "progress_text": f"Question {response.position} of {attempt.question_count}",
            "page_title": f"Question {response.position} of {attempt.question_count}: "
            f"{attempt.quiz.title}",
            "question_url": reverse("quizzes:question", args=[attempt.pk, response.position]),
        }
    )
    if response.is_locked:
        if is_last:
            context["finish_url"] = reverse("quizzes:finish", args=[attempt.pk])
        else:
            context["next_url"] = reverse(
                "quizzes:question", args=[attempt.pk, response.position + 1]
            )
            context["next_label"] = "Next question"
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
@require_http_methods(["GET", "HEAD", "POST"])
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
        except AnswerRefused as refusal:
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
    except AnswerRefused as refusal:
        return _refused(request, attempt, None, refusal)
    return redirect("quizzes:results", attempt.pk)


@never_cache
@require_safe
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
    sure = [response for response in responses if response.confidence == Response.SURE]
    return TemplateResponse(
        request,
        "quizzes/results.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "section": attempt.quiz.section,
            "rows": rows,
            "sure_total": len(sure),
            "sure_right": sum(1 for response in sure if response.correct),
        },
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
@require_safe
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


def _review_card(
    request, item, question, *, due_count, answer=None, chosen_ids=(), error="", status=200
):
    """The Review page's card: the same check-and-explain card as the quiz."""
    context = question_card(
        question,
        shuffled_choices(item, question),
        section=item.takeaway.section,
        locked=answer is not None,
        chosen_ids=chosen_ids,
        correct=answer.correct if answer else None,
        confidence=answer.confidence if answer else "",
        error=error,
    )
    context.update(
        {
            "item": item,
            "due_count": due_count,
            "progress_text": f"Review from {item.takeaway.section.number} "
            f"{item.takeaway.section.title}",
            "question_url": reverse("quizzes:review_answer", args=[item.pk]),
            "hidden_fields": [("question", question.pk), ("version", item.reviews)],
        }
    )
    if answer is not None:
        context["next_url"] = reverse("quizzes:review")
        context["next_label"] = "Next review"
    template = "quizzes/review.html"
    if _wants_fragment(request):
        template += "#question-card"
    return TemplateResponse(request, template, context, status=status)


@never_cache
@require_safe
def review(request):
    learner = current_learner(request)
    due = due_items(learner)
    item = due.first()
    question = question_for(item) if item else None
    if question is None:
        template = "quizzes/review.html"
        if _wants_fragment(request):
            template += "#question-card"
        next_due, later = upcoming(learner)
        return TemplateResponse(
            request, template, {"item": None, "due_count": 0, "next_due": next_due, "later": later}
        )
    return _review_card(request, item, question, due_count=due.count())


@never_cache
@require_POST
def review_answer(request, item_id):
    item = get_object_or_404(due_items(current_learner(request)), pk=item_id)
    try:
        question = Question.objects.prefetch_related("choices").get(
            pk=int(request.POST.get("question", "")), quiz__section__published=True
        )
        version = int(request.POST.get("version", ""))
    except (ValueError, Question.DoesNotExist):
        return _refused(request, None, None, AnswerRefused("bad_review", WRONG_REVIEW))
    try:
        answer, chosen_ids = answer_review(
            item=item,
            question=question,
            raw_choice_ids=request.POST.getlist("choice"),
            confidence=request.POST.get("confidence", ""),
            version=version,
        )
    except AnswerRefused as refusal:
        if refusal.code == "nothing_chosen":
            return _review_card(
                request,
                item,
                question,
                due_count=None,
                error=refusal.message,
                status=refusal.status,
            )
        return _refused(request, None, None, refusal)
    if not _wants_fragment(request):
        return redirect("quizzes:review_result", answer.pk)
    return _review_card(
        request, item, question, due_count=None, answer=answer, chosen_ids=chosen_ids
    )


@never_cache
@require_safe
def review_result(request, answer_id):
    learner = current_learner(request)
    if learner is None:
        raise Http404
    answer = get_object_or_404(
        ReviewAnswer.objects.select_related("item__takeaway__section").prefetch_related(
            "chosen", "question__choices"
        ),
        pk=answer_id,
        item__learner=learner,
    )
    return _review_card(
        request,
        answer.item,
        answer.question,
        due_count=None,
        answer=answer,
        chosen_ids={choice.pk for choice in answer.chosen.all()},
    )
