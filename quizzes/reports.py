"""The learner report for instructors: where each learner stands, and every answer as CSV.

Both run a fixed number of queries per page (or per chunk of rows, for the CSV), however
many learners and answers there are.
"""

from django.db.models import Count, Max, Prefetch, Q

from quizzes.models import Attempt, Choice, Response

CSV_HEADER = [
    "learner",
    "attempt",
    "section",
    "question",
    "chosen",
    "correct",
    "confidence",
    "when",
]
# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def best_scores(learner_ids):
    """Best score and whether passed, per learner and quiz, in course order; one query.

    Returns {learner id: [(section number, best score, passed), ...]}.
    """
    rows = (
        Attempt.objects.filter(learner_id__in=learner_ids, finished_at__isnull=False)
        .values("learner_id", "quiz__section__number", "quiz__section__sort_key")
        .annotate(best=Max("score"), passes=Count("pk", filter=Q(passed=True)))
        .order_by("learner_id", "quiz__section__sort_key")
    )
    scores = {}
    for row in rows:
        scores.setdefault(row["learner_id"], []).append(
            (row["quiz__section__number"], row["best"], row["passes"] > 0)
        )
    return scores


def csv_cell(value):
    """Text a spreadsheet shows as text: a leading ' keeps it from running a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def response_rows(chunk_size=1000):
    """CSV_HEADER, then one row per answered question of every attempt, oldest first.

    Rows are read from the database `chunk_size` at a time, so a large export never holds
    every response in memory.
    """
    responses = (
        Response.objects.filter(answered_at__isnull=False)
        .select_related("attempt__learner__user", "question__quiz__section")
        .prefetch_related(Prefetch("chosen", queryset=Choice.objects.order_by("position")))
        .order_by("attempt__started_at", "attempt_id", "position")
    )
    yield CSV_HEADER
    for response in responses.iterator(chunk_size=chunk_size):
        question = response.question
        row = [
            str(response.attempt.learner),
            response.attempt_id,
            question.quiz.section.number,
            f"Q{question.position}: {question.prompt}",
            " | ".join(choice.text for choice in response.chosen.all()),
            "yes" if response.correct else "no",
            response.confidence,
            response.answered_at.isoformat(),
        ]
        yield [csv_cell(value) for value in row]
