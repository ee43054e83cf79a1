"""Checking one answer against a question: shared by quiz attempts and reviews."""

from quizzes.models import Question


class AnswerRefused(Exception):
    """The answer cannot be taken; `code` says why and `status` is the HTTP status to send."""

    def __init__(self, code, message, status=400):
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


def is_right(*, correct_ids, chosen_ids):
    """Right only when exactly the correct set is chosen (one for single questions)."""
    return set(chosen_ids) == set(correct_ids) and bool(chosen_ids)


def validate_choice_ids(*, question, raw_ids, allowed_ids):
    """Turn submitted values into choice ids of this question, or refuse them."""
    if not raw_ids:
        raise AnswerRefused("nothing_chosen", NOTHING_CHOSEN, status=422)
    try:
        chosen = {int(value) for value in raw_ids}
    except (TypeError, ValueError):
        raise AnswerRefused("not_a_choice", NOT_A_CHOICE) from None
    if not chosen <= set(allowed_ids):
        raise AnswerRefused("not_a_choice", NOT_A_CHOICE)
    if question.kind == Question.SINGLE and len(chosen) > 1:
        raise AnswerRefused("one_answer_only", ONE_ANSWER_ONLY)
    return chosen
