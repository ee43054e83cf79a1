"""Checking one answer against a question: the one rule for quiz attempts and reviews."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizzes.models import Answer, Question, QuestionVersion


class AnswerRefused(Exception):
    """The answer cannot be taken; `code` says why and `status` is the HTTP status to send."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


ALREADY_ANSWERED = "This question is already answered; your answer is locked."
ATTEMPT_FINISHED = "This attempt is finished. Start a new attempt to try again."
NOTHING_CHOSEN = "Choose an answer before you press Check."
ONE_ANSWER_ONLY = "This question takes one answer only."
NOT_A_CHOICE = "That answer is not one of the choices of this question."
UNANSWERED_QUESTIONS = "Answer every question before you finish."


@dataclass(frozen=True)
class CheckedAnswer:
    chosen_ids: set[int]
    right: bool
    confidence: str

    @property
    def right_and_sure(self) -> bool:
        return self.right and self.confidence == Answer.SURE


def is_right(*, correct_ids: Iterable[int], chosen_ids: Iterable[int]) -> bool:
    """Right only when exactly the correct set is chosen (one for single questions)."""
    chosen = set(chosen_ids)
    return chosen == set(correct_ids) and bool(chosen)


def check_answer(
    *,
    version: QuestionVersion,
    raw_choice_ids: Sequence[str],
    allowed_ids: Iterable[int],
    confidence: str,
) -> CheckedAnswer:
    """Turn submitted values into ids of the choices this version of the question offered,
    and say whether they are right, or refuse them. `version` comes with its choices
    prefetched; `allowed_ids` are the ones the learner was shown."""
    if not raw_choice_ids:
        raise AnswerRefused("nothing_chosen", NOTHING_CHOSEN, status=422)
    try:
        chosen = {int(value) for value in raw_choice_ids}
    except (TypeError, ValueError):
        raise AnswerRefused("not_a_choice", NOT_A_CHOICE) from None
    if not chosen <= set(allowed_ids):
        raise AnswerRefused("not_a_choice", NOT_A_CHOICE)
    if version.kind == Question.SINGLE and len(chosen) > 1:
        raise AnswerRefused("one_answer_only", ONE_ANSWER_ONLY)
    correct_ids = [choice.pk for choice in version.choices.all() if choice.correct]
    return CheckedAnswer(
        chosen_ids=chosen,
        right=is_right(correct_ids=correct_ids, chosen_ids=chosen),
        confidence=confidence if confidence in (Answer.SURE, Answer.GUESSING) else "",
    )
