"""Spaced review: which key takeaways a learner should see again, and when.

A miss, or a right answer marked as a guess, puts the takeaway in the learner's queue. It
comes due after 1, 3, 7 and 21 days: each right and sure review moves it up a step, and a
miss or a guess sends it back to the first. A takeaway is retained once answered right
and sure at the 7-day step or later, or right and sure in the quiz without ever being
missed. Reviews ask a different question on the same takeaway where one exists, and never
change quiz scores. The clock is django.utils.timezone.now, so tests can move it.
"""

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, QuerySet, When
from django.utils import timezone

from course.page_cache import content_version
from quizzes.checking import ALREADY_ANSWERED, AnswerRefused, CheckedAnswer, check_answer
from quizzes.models import (
    AnswerPart,
    Learner,
    Question,
    QuestionVersion,
    ReviewAnswer,
    ReviewItem,
    VersionChoice,
)
from quizzes.versions import current_versions

INTERVAL_DAYS = [1, 3, 7, 21]
DAY_SECONDS = 24 * 60 * 60
RETAINED_FROM_STEP = INTERVAL_DAYS.index(7)
NOT_IN_REVIEW = "This takeaway is not due for review."
WRONG_QUESTION = "That question does not belong to this review."


def end_of_today():
    now = timezone.localtime()
    tomorrow = now.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min), now.tzinfo)


def _due_after(step):
    return timezone.now() + timedelta(days=INTERVAL_DAYS[step])


def _schedule_changes(*, checked, question, reviewed_at_step=None):
    """How an answer moves the learner's item for the question's takeaway: the one rule
    for quiz answers (`reviewed_at_step` None) and reviews. A database update's values."""
    if not checked.right_and_sure:
        # A miss, or a right answer marked as a guess: back to the first step.
        return {
            "step": 0,
            "due_at": _due_after(0),
            "last_question": question,
            "retained": F("retained") if checked.right else False,
            "ever_missed": F("ever_missed") if checked.right else True,
        }
    if reviewed_at_step is None:
        # Retained straight from the quiz only if never missed.
        return {"retained": Case(When(ever_missed=False, then=True), default=F("retained"))}
    step = reviewed_at_step + 1
    return {
        "step": step,
        "due_at": _due_after(step) if step < len(INTERVAL_DAYS) else None,
        "retained": True if reviewed_at_step >= RETAINED_FROM_STEP else F("retained"),
    }


def schedule_after_quiz_answer(
    *, learner: Learner, question: Question, checked: CheckedAnswer
) -> None:
    """Schedule the takeaway a quiz question tests, from how it was answered. An update,
    and an insert only the first time the takeaway comes up for this learner."""
    items = ReviewItem.objects.filter(learner=learner, takeaway_id=question.takeaway_id)
    changes = _schedule_changes(checked=checked, question=question)
    reviews_changed(learner)
    if items.update(**changes):
        return
    try:
        with transaction.atomic():
            ReviewItem.objects.create(learner=learner, takeaway_id=question.takeaway_id)
    except IntegrityError:  # the same learner's other answer created it a moment ago
        pass
    items.update(**changes)


def reviewable() -> Q:
    """Items the Review page can ask about: the takeaway's section is published and an
    active question tests it. The one rule for what the queue serves and what it counts,
    so a section unpublished or a question retired never blocks the rest of the queue."""
    asked = Question.objects.filter(
        takeaway_id=OuterRef("takeaway_id"), active=True, quiz__section__published=True
    )
    return Q(takeaway__section__published=True) & Q(Exists(asked))


def due_items(learner: Learner | None) -> QuerySet[ReviewItem]:
    """The learner's reviewable items due by the end of today, soonest first."""
    if learner is None:
        return ReviewItem.objects.none()
    return (
        ReviewItem.objects.filter(reviewable(), learner=learner, due_at__lte=end_of_today())
        .select_related("takeaway__section")
        .order_by("due_at", "pk")
    )


def reviews_due_today(learner: Learner | None) -> int:
    """The site menu's count of reviews due today. Counting needs the `reviewable` rule,
    the dearest query of a page, so the count is kept in the cache until the day ends,
    the content changes or the learner's reviews do (`reviews_changed`)."""
    if learner is None:
        return 0
    key = (
        f"reviews-due:{learner.pk}:{learner.reviews_stamp}:{timezone.localdate()}:"
        f"{content_version()}"
    )
    count = cache.get(key)
    if count is None:
        count = due_items(learner).count()
        cache.set(key, count, DAY_SECONDS)
    return count


def reviews_changed(learner: Learner) -> None:
    """Call when the learner's review items change, in the same transaction: their menu's
    count is counted again, by this request (`learner` is updated too) and every other."""
    type(learner).objects.filter(pk=learner.pk).update(reviews_stamp=F("reviews_stamp") + 1)
    learner.reviews_stamp += 1


def upcoming(learner):
    """When the next review after today comes due, and how many are scheduled after today."""
    if learner is None:
        return None, 0
    later = ReviewItem.objects.filter(reviewable(), learner=learner, due_at__gt=end_of_today())
    summary = later.aggregate(next_due=Min("due_at"), count=Count("pk"))
    return summary["next_due"], summary["count"]


def question_for(item: ReviewItem) -> QuestionVersion | None:
    """The current version of a question on the item's takeaway other than the one last
    missed, where one exists; it rotates with each review so the same question does not
    come back every time."""
    questions = list(
        Question.objects.filter(takeaway_id=item.takeaway_id, active=True)
        .exclude(quiz__section__published=False)
        .select_related("current_version")
        .prefetch_related("current_version__choices")
        .order_by("quiz_id", "position")
    )
    others = [q for q in questions if q.pk != item.last_question_id] or questions
    if not others:
        return None
    question = others[item.reviews % len(others)]
    current_versions([question])
    version = question.current_version
    version.question = question
    return version


def shuffled_choices(item: ReviewItem, version: QuestionVersion) -> list[VersionChoice]:
    """The version's choices in an order fixed for this learner's item and question,
    so the form, its reloads and the result agree."""
    choices = list(version.choices.all())
    right_order = sorted(choices, key=lambda choice: choice.position)
    random.Random(f"{item.pk}-{version.pk}").shuffle(choices)
    if version.kind == Question.ORDER and choices == right_order and len(choices) > 1:
        choices = choices[1:] + choices[:1]  # an order question never starts solved
    return choices


def answer_review(
    *,
    item: ReviewItem,
    version: QuestionVersion,
    confidence: str,
    turn: int,
    raw_choice_ids: Sequence[str] = (),
    raw_parts: Mapping[str, str] | None = None,
) -> tuple[ReviewAnswer, CheckedAnswer]:
    """Lock one review answer and reschedule the item, exactly once per turn (the item's
    count of reviews when the card was shown). `version` comes with its question and
    choices."""
    question = version.question
    if question.takeaway_id != item.takeaway_id or not question.active:
        raise AnswerRefused("wrong_question", WRONG_QUESTION)
    checked = check_answer(
        version=version,
        raw_choice_ids=raw_choice_ids,
        raw_parts=raw_parts,
        allowed_ids=[choice.pk for choice in shuffled_choices(item, version)],
        confidence=confidence,
    )
    changes = _schedule_changes(checked=checked, question=question, reviewed_at_step=item.step)
    with transaction.atomic():
        updated = ReviewItem.objects.filter(
            pk=item.pk, reviews=turn, due_at__lte=end_of_today()
        ).update(reviews=F("reviews") + 1, **changes)
        if not updated:
            raise AnswerRefused("already_answered", ALREADY_ANSWERED, status=409)
        reviews_changed(item.learner)
        review_answer = ReviewAnswer.objects.create(
            item=item,
            question=question,
            version=version,
            step=item.step,
            correct=checked.right,
            confidence=checked.confidence,
            answered_at=timezone.now(),
        )
        ReviewAnswer.chosen.through.objects.bulk_create(
            ReviewAnswer.chosen.through(reviewanswer_id=review_answer.pk, versionchoice_id=pk)
            for pk in checked.chosen_ids
        )
        AnswerPart.objects.bulk_create(
            AnswerPart(
                review_answer=review_answer, key=part.key, given=part.given, right=part.right
            )
            for part in checked.parts
        )
    return review_answer, checked


def retention_by_section(learner: Learner | None, sections: QuerySet) -> dict[int, tuple[int, int]]:
    """{section id: (takeaways retained, reviews due today)} over `sections` (a
    subquery of section ids), in one query."""
    if learner is None:
        return {}
    rows = (
        ReviewItem.objects.filter(reviewable(), learner=learner, takeaway__section__in=sections)
        .values("takeaway__section_id")
        .annotate(
            retained=Count("pk", filter=Q(retained=True)),
            due=Count("pk", filter=Q(due_at__lte=end_of_today())),
        )
    )
    return {row["takeaway__section_id"]: (row["retained"], row["due"]) for row in rows}
