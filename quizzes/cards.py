"""What a question card shows, for the quiz, the Review page and the admin's preview.

A card shows one version of a question (quizzes/versions.py): the one the learner is
answering or answered. Before the answer is locked the card holds the prompt and the
choices' ids and texts only: never which choice is right, any feedback or the explanation.
"""

from collections.abc import Iterable, Sequence

from course.models import Section
from quizzes.models import Answer, Question, QuestionVersion, VersionChoice


def lesson_link(question: Question, *, section: Section) -> str:
    """Where the lesson teaches what the question tests."""
    return f"{section.get_absolute_url()}#{question.heading_id}"


def ordered_choices(version: QuestionVersion, choice_ids: Sequence[int]) -> list[VersionChoice]:
    """The version's choices in the order given by `choice_ids` (a shuffled attempt)."""
    by_id = {choice.pk: choice for choice in version.choices.all()}
    return [by_id[pk] for pk in choice_ids if pk in by_id]


def question_card(
    version: QuestionVersion,
    choices: Iterable[VersionChoice],
    *,
    lesson_url: str,
    locked: bool = False,
    chosen_ids: Iterable[int] = (),
    correct: bool | None = None,
    confidence: str = "",
    error: str = "",
    card_key: str = "",
) -> dict:
    """`card_key` tells several cards on one page apart (their element ids)."""
    card = {
        "prompt_html": version.prompt_html,
        "is_multiple": version.is_multiple,
        "error": error,
        "card_key": card_key,
    }
    if not locked:
        card["choices"] = [{"id": choice.pk, "text": choice.text} for choice in choices]
        return card
    chosen_ids = set(chosen_ids)
    card["result"] = {
        "correct": correct,
        "confidence": dict(Answer.CONFIDENCE).get(confidence, ""),
        "choices": [
            {
                "text": choice.text,
                "correct": choice.correct,
                "chosen": choice.pk in chosen_ids,
                "feedback_html": choice.feedback_html,
            }
            for choice in choices
        ],
        "explanation_html": version.explanation_html,
        "lesson_url": lesson_url,
    }
    return card


def result_row(answer: Answer, *, section: Section) -> dict:
    """One locked answer as the results page lists it, as its version asked it."""
    version = answer.version
    return {
        "position": answer.position,
        "prompt_html": version.prompt_html,
        "correct": answer.correct,
        "chosen": [choice.text for choice in answer.chosen.all()],
        "right_answers": [choice.text for choice in version.choices.all() if choice.correct],
        "explanation_html": version.explanation_html,
        "lesson_url": lesson_link(answer.question, section=section),
    }
