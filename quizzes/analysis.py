"""Item analysis: how learners do on a quiz and on each of its questions.

Every number is counted by the database (COUNT ... FILTER, a subquery for the wrong choice
picked most often, ORDER BY with OFFSET for the median), never by looping over answers
in Python, so the cost does not grow with the number of attempts fetched.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery

from course.rendering import plain_text
from quizzes.models import (
    Answer,
    AnswerPart,
    Attempt,
    Question,
    QuestionVersion,
    Quiz,
    VersionChoice,
    VersionPair,
)


def percent(part, whole):
    return round(100 * part / whole) if whole else None


@dataclass
class QuestionResult:
    """One version of a question; most questions have one."""

    position: int
    prompt_html: str
    question_id: int
    version: int
    answers: int
    right: int
    top_wrong_choice: str | None
    top_wrong_picks: int
    sure: int = 0
    sure_wrong: int = 0
    versions: int = 1  # of this question, in the analysis
    version_id: int | None = None
    parts: "PartsResult | None" = None  # match and order questions

    @property
    def prompt_text(self):
        return plain_text(self.prompt_html, limit=90)

    @property
    def right_percent(self):
        return percent(self.right, self.answers)

    @property
    def sure_wrong_percent(self):
        """Confident misconceptions: the share of "I'm sure" answers that were wrong, the
        clearest sign of a misleading lesson sentence."""
        return percent(self.sure_wrong, self.sure)

    @property
    def top_wrong_percent(self):
        return percent(self.top_wrong_picks, self.answers)


@dataclass
class PartResult:
    """A match question's pair or an order question's item: how often learners got it."""

    text: str
    position: int
    answers: int = 0
    right: int = 0

    @property
    def right_percent(self):
        return percent(self.right, self.answers)


@dataclass
class PartsResult:
    """The parts of one version of a match or order question."""

    kind: str
    parts: list[PartResult]
    top_wrong: str = ""  # the most common wrong pairing or place, as text
    top_wrong_count: int = 0


@dataclass
class QuizResult:
    attempts: int
    passed: int
    median_score: float | None

    @property
    def pass_rate(self):
        return percent(self.passed, self.attempts)


def question_results(quiz: Quiz) -> list[QuestionResult]:
    """Per active question and version of it that learners answered (or that new attempts
    ask): answers given, how many were right, and the wrong choice picked most often (ties
    go to the earlier choice). One query."""
    answered = Q(answers__answered_at__isnull=False)
    wrong_picks = (
        VersionChoice.objects.filter(version=OuterRef("pk"), correct=False)
        .annotate(picks=Count("answers", filter=answered))
        .filter(picks__gt=0)
        .order_by("-picks", "position")
    )
    versions = (
        QuestionVersion.objects.filter(question__quiz=quiz, question__active=True)
        .annotate(
            answer_count=Count("answers", filter=answered),
            right=Count("answers", filter=Q(answers__correct=True)),
            top_wrong_choice=Subquery(wrong_picks.values("text")[:1]),
            top_wrong_picks=Subquery(wrong_picks.values("picks")[:1]),
            sure=Count("answers", filter=answered & Q(answers__confidence=Answer.SURE)),
            sure_wrong=Count(
                "answers",
                filter=answered & Q(answers__confidence=Answer.SURE, answers__correct=False),
            ),
        )
        .filter(Q(answer_count__gt=0) | Q(pk=F("question__current_version")))
        .order_by("question__position", "number")
        .values_list(
            "question__position",
            "prompt_html",
            "question_id",
            "number",
            "answer_count",
            "right",
            "top_wrong_choice",
            "top_wrong_picks",
            "sure",
            "sure_wrong",
            "pk",
        )
    )
    results = [
        QuestionResult(position, prompt, question_id, number, answers, right, wrong_choice,
                       wrong_picks or 0, sure, sure_wrong, version_id=version_id)
        for position, prompt, question_id, number, answers, right, wrong_choice, wrong_picks,
        sure, sure_wrong, version_id in versions
    ]  # fmt: skip
    shown = Counter(result.question_id for result in results)
    for result in results:
        result.versions = shown[result.question_id]
    return results


def with_attempt_counts(quizzes):
    """Annotate quizzes with `finished_attempts` and `passed_attempts`."""
    return quizzes.annotate(
        finished_attempts=Count("attempts", filter=Q(attempts__finished_at__isnull=False)),
        passed_attempts=Count("attempts", filter=Q(attempts__passed=True)),
    )


def quiz_result(quiz):
    """Finished attempts, how many passed, and the median score. Two queries."""
    counts = with_attempt_counts(Quiz.objects.filter(pk=quiz.pk)).values_list(
        "finished_attempts", "passed_attempts"
    )
    attempts, passed = counts.get()
    median = None
    if attempts:
        # The middle score, or the mean of the two middle scores of an even count.
        scores = Attempt.objects.filter(quiz=quiz, finished_at__isnull=False).order_by("score")
        middle = list(
            scores.values_list("score", flat=True)[(attempts - 1) // 2 : attempts // 2 + 1]
        )
        median = sum(middle) / len(middle)
    return QuizResult(attempts=attempts, passed=passed, median_score=median)


def part_results(quiz: Quiz) -> dict[int, PartsResult]:
    """Per version of the quiz's match and order questions that learners answered: each
    pair's share right or item's share in place, and the wrong pairing or place given most
    often. Three queries, however many answers."""
    rows = list(
        AnswerPart.objects.filter(answer__question__quiz=quiz, answer__question__active=True)
        .values_list("answer__version_id", "key", "given", "right")
        .annotate(count=Count("pk"))
        .order_by()
    )
    version_ids = {row[0] for row in rows}
    pairs = {(p.version_id, p.key): p for p in VersionPair.objects.filter(version__in=version_ids)}
    choices = {
        (c.version_id, c.key): c for c in VersionChoice.objects.filter(version__in=version_ids)
    }
    results, parts = {}, {}
    for version_id, key, given, right, count in rows:
        is_match = (version_id, key) in pairs
        result = results.setdefault(
            version_id, PartsResult(kind=Question.MATCH if is_match else Question.ORDER, parts=[])
        )
        if (version_id, key) not in parts:
            described = pairs.get((version_id, key)) or choices[version_id, key]
            parts[version_id, key] = PartResult(text=described.text, position=described.position)
            result.parts.append(parts[version_id, key])
        part = parts[version_id, key]
        part.answers += count
        part.right += count if right else 0
        if not right and count > result.top_wrong_count:
            given_text = choices[version_id, given].text if is_match else f"place {given}"
            result.top_wrong, result.top_wrong_count = f"{part.text} → {given_text}", count
    for result in results.values():
        result.parts.sort(key=lambda part: part.position)
    return results
