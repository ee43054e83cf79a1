"""Attempt rules: start an attempt, answer a question (lock and score), finish an attempt.

Used by views, admin, commands and tests alike. Writes are race-safe on SQLite and
PostgreSQL: locking an answer and finishing an attempt are conditional updates on the
row's own columns (`UPDATE ... WHERE answered_at IS NULL`), under a row lock on the
attempt, so concurrent submits of the same answer store one answer, never two.
"""

import random
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.checking import (
    ALREADY_ANSWERED,
    ATTEMPT_FINISHED,
    UNANSWERED_QUESTIONS,
    AnswerRefused,
    CheckedAnswer,
    check_answer,
)
from quizzes.models import Answer, AnswerPart, Attempt, Learner, Question, Quiz
from quizzes.review import schedule_after_quiz_answer
from quizzes.versions import current_versions


def score_percent(credit: float, question_count: int) -> int:
    """Questions right (or their share, with partial credit) as a percent of all."""
    if not question_count:
        return 0
    return round(100 * credit / question_count)


def start_attempt(*, learner: Learner, quiz: Quiz) -> Attempt:
    """The learner's unfinished attempt at this quiz, or a new one.

    Two tabs starting at once get one attempt: the database allows one unfinished
    attempt per learner and quiz, and the loser of the race reads the winner's.
    """
    existing = Attempt.objects.filter(
        learner=learner, quiz=quiz, finished_at=None, abandoned=False
    ).first()
    if existing:
        return existing
    questions = list(
        quiz.questions.filter(active=True)
        .select_related("current_version")
        .prefetch_related("choices", "current_version__choices")
        .order_by("position")
    )
    current_versions(questions)
    if quiz.shuffle:
        # Positions are stored with the answers: the order holds for the whole attempt.
        random.shuffle(questions)
    choice_order = {}
    for question in questions:
        # The version's choices in the order the author gives them now: reordering them
        # makes no new version.
        position_now = {choice.key: choice.position for choice in question.choices.all()}
        offered = sorted(
            question.current_version.choices.all(),
            key=lambda choice: position_now.get(choice.key, choice.position),
        )
        ids = [choice.pk for choice in offered]
        if question.kind == Question.ORDER:
            ids = _shuffled_away_from(ids)
        elif quiz.shuffle:
            random.shuffle(ids)
        choice_order[str(question.pk)] = ids
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                learner=learner,
                quiz=quiz,
                started_at=timezone.now(),
                question_count=len(questions),
                choice_order=choice_order,
            )
            Answer.objects.bulk_create(
                Answer(
                    attempt=attempt,
                    question=question,
                    version=question.current_version,
                    position=index,
                )
                for index, question in enumerate(questions, start=1)
            )
    except IntegrityError:
        return Attempt.objects.get(learner=learner, quiz=quiz, finished_at=None, abandoned=False)
    return attempt


def _shuffled_away_from(right_order):
    """An order question's items, shuffled so that they never start in the right order."""
    items = list(right_order)
    if len(items) < 2:
        return items
    while items == right_order:
        random.shuffle(items)
    return items


def answer_question(
    *,
    answer: Answer,
    raw_choice_ids: Sequence[str] = (),
    raw_parts: Mapping[str, str] | None = None,
    confidence: str = "",
) -> CheckedAnswer:
    """Lock the learner's answer to one question and score it, exactly once.

    `answer` comes with its attempt, question and version (its choices prefetched) and is
    updated in place.
    """
    attempt = answer.attempt
    if attempt.is_finished or attempt.abandoned:
        raise AnswerRefused("attempt_finished", ATTEMPT_FINISHED, status=409)
    if answer.is_locked:
        raise AnswerRefused("already_answered", ALREADY_ANSWERED, status=409)
    checked = check_answer(
        version=answer.version,
        raw_choice_ids=raw_choice_ids,
        raw_parts=raw_parts,
        allowed_ids=attempt.choice_order.get(str(answer.question_id), []),
        confidence=confidence,
    )
    parts = {"parts_right": checked.parts_right, "part_count": len(checked.parts)}
    if not checked.parts:
        parts = {"parts_right": None, "part_count": None}
    now = timezone.now()
    with transaction.atomic():
        # Lock the attempt's row: answers to one attempt and its finish take turns. The
        # answer's own update then tests only its own columns: a condition through a
        # join would become a subquery that PostgreSQL does not re-check after waiting
        # for a concurrent writer, and two submissions could both lock the answer.
        still_open = Attempt.objects.select_for_update().filter(
            pk=attempt.pk, finished_at=None, abandoned=False
        )
        if not still_open.exists():
            raise AnswerRefused("attempt_finished", ATTEMPT_FINISHED, status=409)
        locked = Answer.objects.filter(pk=answer.pk, answered_at=None).update(
            answered_at=now, correct=checked.right, confidence=checked.confidence, **parts
        )
        if not locked:
            raise AnswerRefused("already_answered", ALREADY_ANSWERED, status=409)
        Answer.chosen.through.objects.bulk_create(
            Answer.chosen.through(answer_id=answer.pk, versionchoice_id=pk)
            for pk in checked.chosen_ids
        )
        AnswerPart.objects.bulk_create(
            AnswerPart(answer=answer, key=part.key, given=part.given, right=part.right)
            for part in checked.parts
        )
        schedule_after_quiz_answer(
            learner=attempt.learner, question=answer.question, checked=checked
        )
    answer.answered_at, answer.correct, answer.confidence = now, checked.right, checked.confidence
    answer.parts_right, answer.part_count = parts["parts_right"], parts["part_count"]
    return checked


def finish_attempt(*, attempt: Attempt) -> Attempt:
    """Score a fully answered attempt, exactly once; finishing twice changes nothing."""
    if attempt.is_finished:
        return attempt
    if attempt.abandoned:
        raise AnswerRefused("attempt_finished", ATTEMPT_FINISHED, status=409)
    with transaction.atomic():
        answers = Answer.objects.filter(attempt=attempt)
        if answers.filter(answered_at=None).exists():
            raise AnswerRefused("unanswered_questions", UNANSWERED_QUESTIONS, status=409)
        results = list(answers.values_list("correct", "parts_right", "part_count"))
        correct_count = sum(1 for correct, _, _ in results if correct)
        if attempt.quiz.partial_credit:
            # A match or order answer counts its share of parts right.
            credit = sum(
                right / count if count else float(bool(correct))
                for correct, right, count in results
            )
        else:
            credit = correct_count
        score = score_percent(credit, attempt.question_count)
        Attempt.objects.filter(pk=attempt.pk, finished_at=None).update(
            finished_at=timezone.now(),
            correct_count=correct_count,
            score=score,
            passed=score >= attempt.quiz.pass_mark,
        )
    attempt.refresh_from_db()
    return attempt
