"""What a question card shows, for the quiz, the Review page and the admin's preview.

Before the answer is locked the card holds the prompt and the choices' ids and texts only:
never which choice is right, any feedback or the explanation.
"""

from course.models import Section
from quizzes.models import Answer, Question


def lesson_link(question: Question, *, section: Section) -> str:
    """Where the lesson teaches what the question tests."""
    return f"{section.get_absolute_url()}#{question.heading_id}"


def ordered_choices(question, choice_ids):
    """The question's choices in the order given by `choice_ids` (a shuffled attempt)."""
    by_id = {choice.pk: choice for choice in question.choices.all()}
    return [by_id[pk] for pk in choice_ids if pk in by_id]


def question_card(
    question,
    choices,
    *,
    section,
    locked=False,
    chosen_ids=(),
    correct=None,
    confidence="",
    error="",
):
    card = {
        "prompt_html": question.prompt_html,
        "is_multiple": question.is_multiple,
        "error": error,
    }
    if not locked:
        card["choices"] = [{"id": choice.pk, "text": choice.text} for choice in choices]
        return card
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
        "explanation_html": question.explanation_html,
        "lesson_url": lesson_link(question, section=section),
    }
    return card


def result_row(answer: Answer, *, section: Section) -> dict:
    """One locked answer as the results page lists it."""
    question = answer.question
    return {
        "position": answer.position,
        "prompt_html": question.prompt_html,
        "correct": answer.correct,
        "chosen": [choice.text for choice in answer.chosen.all()],
        "right_answers": [choice.text for choice in question.choices.all() if choice.correct],
        "explanation_html": question.explanation_html,
        "lesson_url": lesson_link(question, section=section),
    }
