"""Question versions: the one place that decides when an edit makes a new version.

A version holds what a learner is shown and judged by: the kind, prompt, explanation,
each active choice's key, text, correctness and feedback, a match question's pairs and an
order question's order. Saving a question in the admin
or importing it calls `record_versions`; a question whose meaning changed since its current
version gets the next one, and new attempts ask it. Reordering choices or questions, or
editing which takeaway or heading a question belongs to, changes no meaning.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from quizzes.models import Choice, Pair, Question, QuestionVersion, VersionChoice, VersionPair


def _rows(question, given):
    """The question's active choices and (match questions) pairs, in order: from `given`
    when the caller has them at hand, else from the prefetched relations."""
    choices, pairs = given[question] if question in given else (
        question.choices.all(), question.pairs.all() if question.kind == Question.MATCH else []
    )  # fmt: skip
    return (
        sorted((c for c in choices if c.active), key=lambda choice: choice.position),
        sorted(pairs, key=lambda pair: pair.position) if question.kind == Question.MATCH else [],
    )


def fingerprint(question: Question, *, given=None) -> str:
    """What the question means now; `question` comes with its choices and pairs."""
    active_choices, pairs = _rows(question, given or {})
    choices = [[c.key, c.text, c.correct, c.feedback] for c in active_choices]
    meaning = {
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        # An order question's choices are in the right order: their order is its meaning.
        "choices": choices if question.kind == Question.ORDER else sorted(choices),
    }
    if question.kind == Question.MATCH:
        meaning["reuse_options"] = question.reuse_options
        meaning["pairs"] = sorted([p.key, p.text, p.answer, p.feedback] for p in pairs)
    return hashlib.sha256(json.dumps(meaning, sort_keys=True).encode()).hexdigest()


def record_versions(
    questions: Iterable[Question],
    *,
    given: Mapping[Question, tuple[list[Choice], list[Pair]]] | None = None,
) -> list[Question]:
    """Give each question whose meaning changed (or that has none) a new current version;
    `questions` come with their choices, pairs and current version prefetched, or, for
    questions just inserted, their choices and pairs are `given`. Returns the questions
    that got one."""
    given = given or {}
    changed = []
    for question in questions:
        current = question.current_version
        digest = fingerprint(question, given=given)
        if current is None or current.fingerprint != digest:
            changed.append((question, digest))
    if not changed:
        return []
    last_numbers = dict(
        QuestionVersion.objects.filter(question__in=[q for q, _ in changed])
        .values("question_id")
        .annotate(last=Max("number"))
        .values_list("question_id", "last")
    )
    now = timezone.now()
    with transaction.atomic():
        versions = QuestionVersion.objects.bulk_create(
            QuestionVersion(
                question=question,
                number=last_numbers.get(question.pk, 0) + 1,
                kind=question.kind,
                reuse_options=question.reuse_options,
                prompt=question.prompt,
                prompt_html=question.prompt_html,
                explanation=question.explanation,
                explanation_html=question.explanation_html,
                fingerprint=digest,
                created_at=now,
            )
            for question, digest in changed
        )
        VersionChoice.objects.bulk_create(
            VersionChoice(
                version=version,
                key=choice.key,
                position=choice.position,
                text=choice.text,
                correct=choice.correct,
                feedback=choice.feedback,
                feedback_html=choice.feedback_html,
            )
            for (question, _), version in zip(changed, versions, strict=True)
            for choice in _rows(question, given)[0]
        )
        VersionPair.objects.bulk_create(
            VersionPair(
                version=version,
                key=pair.key,
                position=pair.position,
                text=pair.text,
                answer_key=pair.answer,
                feedback=pair.feedback,
                feedback_html=pair.feedback_html,
            )
            for (question, _), version in zip(changed, versions, strict=True)
            for pair in _rows(question, given)[1]
        )
        for (question, _), version in zip(changed, versions, strict=True):
            question.current_version = version
        # The version just made is each question's last: one statement, whatever their
        # number (bulk_update builds a CASE with a branch per question).
        Question.objects.filter(pk__in=[question.pk for question, _ in changed]).update(
            current_version=Subquery(
                QuestionVersion.objects.filter(question=OuterRef("pk"))
                .order_by("-number")
                .values("pk")[:1]
            )
        )
    return [question for question, _ in changed]


def current_versions(questions: list[Question]) -> None:
    """Make sure every question has a current version: one made some other way than the
    admin or the importer (a shell, a test) gets its first now."""
    record_versions([q for q in questions if q.current_version_id is None])
