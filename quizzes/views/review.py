"""The Review page: due key takeaways, one question at a time, with the quiz's card."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from quizzes.cards import lesson_link, question_card
from quizzes.checking import FIXABLE, AnswerRefused
from quizzes.learners import current_learner
from quizzes.models import QuestionVersion, ReviewAnswer
from quizzes.review import answer_review, due_items, question_for, shuffled_choices, upcoming
from quizzes.views.common import (
    answer_parts,
    kept_on_error,
    page_or_fragment,
    refusal_page,
    wants_fragment,
)

WRONG_REVIEW = "That review answer is not one this page asked for. Reload the Review page."


def _review_card(
    request,
    item,
    version,
    *,
    due_count,
    review_answer=None,
    chosen_ids=(),
    parts=(),
    error="",
    selected=None,
    status=200,
):
    """The Review page's card: the same check-and-explain card as the quiz."""
    context = question_card(
        version,
        shuffled_choices(item, version),
        lesson_url=lesson_link(version.question, section=item.takeaway.section),
        locked=review_answer is not None,
        chosen_ids=chosen_ids,
        parts=parts,
        selected=selected,
        correct=review_answer.correct if review_answer else None,
        confidence=review_answer.confidence if review_answer else "",
        error=error,
    )
    context.update(
        {
            "item": item,
            "due_count": due_count,
            "progress_text": f"Review from {item.takeaway.section.number} "
            f"{item.takeaway.section.title}",
            "question_url": reverse("quizzes:review_answer", args=[item.pk]),
            "hidden_fields": [("question_version", version.pk), ("turn", item.reviews)],
        }
    )
    if review_answer is not None:
        context["next_url"] = reverse("quizzes:review")
        context["next_label"] = "Next review"
    context["swapped"] = wants_fragment(request)
    return TemplateResponse(
        request,
        page_or_fragment(request, "quizzes/review.html", "question-card"),
        context,
        status=status,
    )


@never_cache
@require_safe
def review_page(request: HttpRequest) -> HttpResponse:
    learner = current_learner(request)
    due = due_items(learner)
    item = due.first()
    version = question_for(item) if item else None
    if version is None:
        next_due, later = upcoming(learner)
        return TemplateResponse(
            request,
            page_or_fragment(request, "quizzes/review.html", "question-card"),
            {
                "item": None,
                "due_count": 0,
                "next_due": next_due,
                "later": later,
                "card_key": "",
                "swapped": wants_fragment(request),
            },
        )
    return _review_card(request, item, version, due_count=due.count())


@never_cache
@require_POST
def submit_review(request: HttpRequest, item_id: int) -> HttpResponse:
    learner = current_learner(request)
    item = get_object_or_404(due_items(learner), pk=item_id)
    item.learner = learner  # in hand already: answering updates their review count
    try:
        version = (
            QuestionVersion.objects.select_related("question")
            .prefetch_related("choices", "pairs")
            .get(
                pk=int(request.POST.get("question_version", "")),
                question__quiz__section__published=True,
            )
        )
        turn = int(request.POST.get("turn", ""))
    except (ValueError, QuestionVersion.DoesNotExist):
        return refusal_page(request, AnswerRefused("bad_review", WRONG_REVIEW))
    try:
        review_answer, checked = answer_review(
            item=item,
            version=version,
            raw_choice_ids=request.POST.getlist("choice"),
            raw_parts=answer_parts(request.POST),
            confidence=request.POST.get("confidence", ""),
            turn=turn,
        )
    except AnswerRefused as refusal:
        if refusal.code not in FIXABLE:
            return refusal_page(request, refusal)
        return _review_card(
            request,
            item,
            version,
            due_count=None,
            error=refusal.message,
            selected=kept_on_error(request.POST),
            status=refusal.status,
        )
    if not wants_fragment(request):
        return redirect("quizzes:review_result", review_answer.pk)
    return _review_card(
        request,
        item,
        version,
        due_count=None,
        review_answer=review_answer,
        chosen_ids=checked.chosen_ids,
        parts=checked.parts,
    )


@never_cache
@require_safe
def review_result(request: HttpRequest, answer_id: int) -> HttpResponse:
    learner = current_learner(request)
    if learner is None:
        raise Http404
    review_answer = get_object_or_404(
        ReviewAnswer.objects.select_related(
            "item__takeaway__section", "version__question"
        ).prefetch_related("chosen", "version__choices"),
        pk=answer_id,
        item__learner=learner,
    )
    return _review_card(
        request,
        review_answer.item,
        review_answer.version,
        due_count=None,
        review_answer=review_answer,
        chosen_ids={choice.pk for choice in review_answer.chosen.all()},
        parts=review_answer.parts.all(),
    )
