"""Item analysis: how learners do on a quiz and on each of its questions.

Every number is counted by the database (COUNT ... FILTER, a subquery for the wrong choice
picked most often, ORDER BY with OFFSET for the median), never by looping over answers
in Python, so the cost does not grow with the number of attempts fetched.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from quizzes.models import Answer, Attempt, Choice, Quiz


def percent(part, whole):
    return round(100 * part / whole) if whole else None


@dataclass
class QuestionResult:
    position: int
    prompt_html: str
    question_id: int
    answers: int
    right: int
    top_wrong_choice: str | None
    top_wrong_picks: int
    sure: int = 0
    sure_wrong: int = 0

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
class QuizResult:
    attempts: int
    passed: int
    median_score: float | None

    @property
    def pass_rate(self):
        return percent(self.passed, self.attempts)


def question_results(quiz):
    """Per active question: answers given, how many were right, and the wrong choice picked
    most often (ties go to the earlier choice). One query."""
    answered = Q(answers__answered_at__isnull=False)
    wrong_picks = (
        Choice.objects.filter(question=OuterRef("pk"), correct=False)
        .annotate(picks=Count("answers", filter=answered))
        .filter(picks__gt=0)
        .order_by("-picks", "position")
    )
    questions = (
        quiz.questions.filter(active=True)
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
        .order_by("position")
        .values_list(
            "position",
            "prompt_html",
            "pk",
            "answer_count",
            "right",
            "top_wrong_choice",
            "top_wrong_picks",
            "sure",
            "sure_wrong",
        )
    )
    return [
        QuestionResult(position, prompt, pk, answers, right, wrong_choice, wrong_picks or 0,
                       sure, sure_wrong)
        for position, prompt, pk, answers, right, wrong_choice, wrong_picks, sure, sure_wrong
        in questions
    ]  # fmt: skip


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
