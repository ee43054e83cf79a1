"""Attempt rules: start, answer (lock and score), finish. Used by views, admin and tests.

Writes are race-safe on SQLite and PostgreSQL alike: locking an answer and finishing an
attempt are conditional updates on the row's own columns (`UPDATE ... WHERE answered_at
IS NULL`), under a row lock on the attempt, so concurrent submits of the same answer store
one response, never two.
"""

import random

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.answers import (
    ALREADY_ANSWERED,
    ATTEMPT_FINISHED,
    UNANSWERED_QUESTIONS,
    AnswerRefused,
    is_right,
    validate_choice_ids,
)
from quizzes.models import Attempt, Response
from quizzes.review import record_quiz_answer


def score_percent(correct_count, question_count):
    if not question_count:
        return 0
    return round(100 * correct_count / question_count)


def start_attempt(*, learner, quiz):
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
        quiz.questions.filter(active=True).prefetch_related("choices").order_by("position")
    )
    choice_order = {}
    for question in questions:
        ids = [choice.pk for choice in question.choices.all() if choice.active]
        if quiz.shuffle:
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
            Response.objects.bulk_create(
                Response(attempt=attempt, question=question, position=index)
                for index, question in enumerate(questions, start=1)
            )
    except IntegrityError:
        return Attempt.objects.get(learner=learner, quiz=quiz, finished_at=None, abandoned=False)
    return attempt


def answer(*, response, raw_choice_ids, confidence=""):
    """Lock the learner's answer to one question and score it, exactly once.

    Returns the chosen choice ids; `response` is updated in place.
    """
    attempt = response.attempt
    if attempt.is_finished or attempt.abandoned:
        raise AnswerRefused("attempt_finished", ATTEMPT_FINISHED, status=409)
    if response.is_locked:
        raise AnswerRefused("already_answered", ALREADY_ANSWERED, status=409)
    allowed_ids = attempt.choice_order.get(str(response.question_id), [])
    chosen = validate_choice_ids(
        question=response.question, raw_ids=raw_choice_ids, allowed_ids=allowed_ids
    )
    if confidence not in ("", Response.SURE, Response.GUESSING):
        confidence = ""
    correct_ids = [choice.pk for choice in response.question.choices.all() if choice.correct]
    right = is_right(correct_ids=correct_ids, chosen_ids=chosen)
    now = timezone.now()
    with transaction.atomic():
        # Lock the attempt's row: answers to one attempt and its finish take turns. The
        # response's own update then tests only its own columns: a condition through a
        # join would become a subquery that PostgreSQL does not re-check after waiting
        # for a concurrent writer, and two submissions could both lock the answer.
        still_open = Attempt.objects.select_for_update().filter(
            pk=attempt.pk, finished_at=None, abandoned=False
        )
        if not still_open.exists():
            raise AnswerRefused("attempt_finished", ATTEMPT_FINISHED, status=409)
        locked = Response.objects.filter(pk=response.pk, answered_at=None).update(
            answered_at=now, correct=right, confidence=confidence
        )
        if not locked:
            raise AnswerRefused("already_answered", ALREADY_ANSWERED, status=409)
        Response.chosen.through.objects.bulk_create(
            Response.chosen.through(response_id=response.pk, choice_id=pk) for pk in chosen
        )
        record_quiz_answer(
            learner=attempt.learner, question=response.question, right=right, confidence=confidence
        )
    response.answered_at, response.correct, response.confidence = now, right, confidence
    return chosen


def finish(*, attempt):
    """Score a fully answered attempt, exactly once; finishing twice changes nothing."""
    if attempt.is_finished:
        return attempt
    if attempt.abandoned:
        raise AnswerRefused("attempt_finished", ATTEMPT_FINISHED, status=409)
    with transaction.atomic():
        responses = Response.objects.filter(attempt=attempt)
        if responses.filter(answered_at=None).exists():
            raise AnswerRefused("unanswered_questions", UNANSWERED_QUESTIONS, status=409)
        correct_count = responses.filter(correct=True).count()
        score = score_percent(correct_count, attempt.question_count)
        Attempt.objects.filter(pk=attempt.pk, finished_at=None).update(
            finished_at=timezone.now(),
            correct_count=correct_count,
            score=score,
            passed=score >= attempt.quiz.pass_mark,
        )
    attempt.refresh_from_db()
    return attempt
