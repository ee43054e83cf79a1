"""Checking one answer against a question: the one rule for quiz attempts and reviews."""

from collections.abc import Iterable, Mapping, Sequence
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


NOT_ALL_PAIRED = "Choose an option for every prompt before you press Check."
OPTION_USED_TWICE = "Use each option for one prompt only."
NOT_ALL_PLACED = "Give every item a place before you press Check."
PLACE_USED_TWICE = "Give each item a different place."
# Refusals the learner can put right on the card itself.
FIXABLE = {"nothing_chosen", "used_twice"}


@dataclass(frozen=True)
class Part:
    """One part of a match or order answer: a prompt and the option given for it, or an
    item and the place given to it."""

    key: str
    given: str
    right: bool


@dataclass(frozen=True)
class CheckedAnswer:
    chosen_ids: set[int]
    right: bool
    confidence: str
    parts: tuple[Part, ...] = ()

    @property
    def right_and_sure(self) -> bool:
        return self.right and self.confidence == Answer.SURE

    @property
    def parts_right(self) -> int:
        return sum(1 for part in self.parts if part.right)


def is_right(*, correct_ids: Iterable[int], chosen_ids: Iterable[int]) -> bool:
    """Right only when exactly the correct set is chosen (one for single questions)."""
    chosen = set(chosen_ids)
    return chosen == set(correct_ids) and bool(chosen)


def check_answer(
    *,
    version: QuestionVersion,
    allowed_ids: Sequence[int],
    confidence: str,
    raw_choice_ids: Sequence[str] = (),
    raw_parts: Mapping[str, str] | None = None,
) -> CheckedAnswer:
    """Turn what was submitted into an answer to this version of the question and say
    whether it is right, or refuse it. `version` comes with its choices and pairs
    prefetched; `allowed_ids` are the choices the learner was shown, in the order shown.
    Match and order answers come as `raw_parts`: {"pair-<pair id>": option number} or
    {"place-<item number>": place}, options and items numbered from 1 in the order shown,
    so that the form says nothing of the order the author wrote them in."""
    confidence = confidence if confidence in (Answer.SURE, Answer.GUESSING) else ""
    if version.kind == Question.MATCH:
        parts = _match_parts(version, allowed_ids, raw_parts or {})
    elif version.kind == Question.ORDER:
        parts = _order_parts(version, allowed_ids, raw_parts or {})
    else:
        chosen = _chosen_ids(version, allowed_ids, raw_choice_ids)
        correct_ids = [choice.pk for choice in version.choices.all() if choice.correct]
        return CheckedAnswer(
            chosen_ids=chosen,
            right=is_right(correct_ids=correct_ids, chosen_ids=chosen),
            confidence=confidence,
        )
    return CheckedAnswer(
        chosen_ids=set(),
        right=all(part.right for part in parts),
        confidence=confidence,
        parts=tuple(parts),
    )


def _chosen_ids(version, allowed_ids, raw_choice_ids):
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
    return chosen


def _whole_number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnswerRefused("not_a_choice", NOT_A_CHOICE) from None


def _shown(version, allowed_ids):
    """The version's choices by their number in the order shown, from 1."""
    by_id = {choice.pk: choice for choice in version.choices.all()}
    return {number: by_id[pk] for number, pk in enumerate(allowed_ids, start=1) if pk in by_id}


def _match_parts(version, allowed_ids, raw_parts):
    options = _shown(version, allowed_ids)
    given = {}
    for pair in version.pairs.all():
        raw = raw_parts.get(f"pair-{pair.pk}", "")
        if raw == "":
            raise AnswerRefused("nothing_chosen", NOT_ALL_PAIRED, status=422)
        option = options.get(_whole_number(raw))
        if option is None:
            raise AnswerRefused("not_a_choice", NOT_A_CHOICE)
        given[pair] = option
    keys = [option.key for option in given.values()]
    if not version.reuse_options and len(set(keys)) != len(keys):
        raise AnswerRefused("used_twice", OPTION_USED_TWICE, status=422)
    return [
        Part(pair.key, option.key, option.key == pair.answer_key) for pair, option in given.items()
    ]


def _order_parts(version, allowed_ids, raw_parts):
    items = sorted(version.choices.all(), key=lambda choice: choice.position)
    right_place = {item.pk: place for place, item in enumerate(items, start=1)}
    places = {}
    for number, item in _shown(version, allowed_ids).items():
        raw = raw_parts.get(f"place-{number}", "")
        if raw == "":
            raise AnswerRefused("nothing_chosen", NOT_ALL_PLACED, status=422)
        place = _whole_number(raw)
        if not 1 <= place <= len(items):
            raise AnswerRefused("not_a_choice", NOT_A_CHOICE)
        places[item] = place
    if sorted(places.values()) != list(range(1, len(items) + 1)):
        raise AnswerRefused("used_twice", PLACE_USED_TWICE, status=422)
    return [
        Part(item.key, str(place), place == right_place[item.pk]) for item, place in places.items()
    ]
