"""The learner report for instructors: where each learner stands, and every answer as CSV.

Both run a fixed number of queries per page (or per chunk of rows, for the CSV), however
many learners and answers there are.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from quizzes.cards import answer_given
from quizzes.models import Answer, Attempt, VersionChoice
from quizzes.progress import QuizRecord

CSV_HEADER = [
    "learner",
    "attempt",
    "section",
    "quiz",
    "score",
    "finished",
    "question",
    "chosen",
    "correct",
    "confidence",
    "when",
]
# Spreadsheet programs read a CSV as UTF-8 (not their local code page) only when it starts
# with a byte-order mark.
UTF8_BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def best_scores(learner_ids: Iterable[int]) -> dict[int, list[tuple[str, int | None, bool]]]:
    """Best score and whether passed, per learner and quiz, in course order; one query.

    Returns {learner id: [(section number, best score, passed), ...]}.
    """
    finished = (
        Attempt.objects.filter(learner_id__in=learner_ids, finished_at__isnull=False)
        .order_by("learner_id", "quiz__section__sort_key", "finished_at")
        .values_list("learner_id", "quiz__section__number", "score", "passed")
    )
    records = {}
    for learner_id, number, score, passed in finished:
        records.setdefault(learner_id, {}).setdefault(number, QuizRecord()).add(
            score=score, passed=passed, finished=True
        )
    return {
        learner_id: [(number, record.best, record.passed) for number, record in by_quiz.items()]
        for learner_id, by_quiz in records.items()
    }


def csv_cell(value):
    """Text a spreadsheet shows as text: a leading ' keeps it from running a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def answer_rows(*, chunk_size: int = 1000) -> Iterator[list]:
    """CSV_HEADER, then one row per answered question of every attempt, oldest first, with
    the question as the learner was asked it and the attempt's score and finishing time
    (empty while it is open).

    Rows are read from the database `chunk_size` at a time, so a large export never holds
    every answer in memory.
    """
    answers = (
        Answer.objects.filter(answered_at__isnull=False)
        .select_related("attempt__learner__user", "question__quiz__section", "version")
        .prefetch_related(
            Prefetch("chosen", queryset=VersionChoice.objects.order_by("position")),
            "parts",
            "version__choices",
            "version__pairs",
        )
        .order_by("attempt__started_at", "attempt_id", "position")
    )
    yield CSV_HEADER
    for answer in answers.iterator(chunk_size=chunk_size):
        question = answer.question
        attempt = answer.attempt
        row = [
            str(attempt.learner),
            attempt.pk,
            question.quiz.section.number,
            question.quiz.title,
            "" if attempt.score is None else attempt.score,
            attempt.finished_at.isoformat() if attempt.finished_at else "",
            f"Q{question.position}: {answer.version.prompt}",
            " | ".join(answer_given(answer)),
            "yes" if answer.correct else "no",
            answer.confidence,
            answer.answered_at.isoformat(),
        ]
        yield [csv_cell(value) for value in row]
