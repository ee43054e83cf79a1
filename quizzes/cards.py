"""What a question card shows, for the quiz, the Review page and the admin's preview.

A card shows one version of a question (quizzes/versions.py): the one the learner is
answering or answered. Before the answer is locked the card holds the prompt and the
choices' ids and texts only: never which choice is right, any feedback or the explanation.
"""

from collections.abc import Iterable, Mapping, Sequence

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
    parts: Iterable = (),
    selected: Mapping[str, str] | None = None,
) -> dict:
    """`choices` are the version's choices in the order shown (a match question's options,
    an order question's items). Once locked, `chosen_ids` or, for match and order
    questions, `parts` (AnswerPart rows or checking's Parts) say what was answered.
    `selected` keeps what the learner set on a card shown again with an error (its
    parts, and "confidence").
    `card_key` tells several cards on one page apart (their element ids)."""
    card = {
        "prompt_html": version.prompt_html,
        "kind": version.kind,
        "is_multiple": version.is_multiple,
        # Many prompts already end "Select all that apply."; the card does not say it twice.
        "says_select_all": version.is_multiple
        and "select all that apply" not in version.prompt.lower(),
        "error": error,
        "card_key": card_key,
    }
    if not locked:
        card.update(_form(version, choices, selected or {}))
        card["chosen_confidence"] = (selected or {}).get("confidence", "")
        return card
    if version.in_parts:
        card["result"] = {
            "correct": correct,
            "confidence": dict(Answer.CONFIDENCE).get(confidence, ""),
            "explanation_html": version.explanation_html,
            "lesson_url": lesson_url,
            **_parts_result(version, parts),
        }
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
    row = {
        "position": answer.position,
        "prompt_html": version.prompt_html,
        "correct": answer.correct,
        "explanation_html": version.explanation_html,
        "lesson_url": lesson_link(answer.question, section=section),
        "parts_summary": "",
    }
    if not version.in_parts:
        return {
            **row,
            "chosen": answer_given(answer),
            "right_answers": [c.text for c in version.choices.all() if c.correct],
        }
    result = _parts_result(version, answer.parts.all())
    if version.kind == Question.MATCH:
        right = [f"{part['text']} → {part['answer']}" for part in result["parts"]]
    else:
        right = result["right_order"]
    return {
        **row,
        "chosen": _given(version, result),
        "right_answers": right,
        "parts_summary": result["parts_summary"],
    }


def answer_given(answer: Answer) -> list[str]:
    """What the learner answered, as text: the choices chosen, each prompt with the option
    given, or the items in the learner's order."""
    if not answer.version.in_parts:
        return [choice.text for choice in answer.chosen.all()]
    return _given(answer.version, _parts_result(answer.version, answer.parts.all()))


def _given(version, result):
    if version.kind == Question.MATCH:
        return [f"{part['text']} → {part['given']}" for part in result["parts"]]
    return [part["text"] for part in result["parts"]]


def _form(version, choices, selected):
    """What the card's form offers: no right answer, no feedback, no right order."""
    if version.in_parts:
        # Numbered in the order shown: ids would tell the order the author wrote them in.
        offered = [{"id": number, "text": c.text} for number, c in enumerate(choices, start=1)]
    else:
        offered = [{"id": choice.pk, "text": choice.text} for choice in choices]
    if version.kind == Question.MATCH:
        return {
            "options": offered,
            "pairs": [
                {"id": pair.pk, "text": pair.text, "selected": selected.get(f"pair-{pair.pk}", "")}
                for pair in version.pairs.all()
            ],
        }
    if version.kind == Question.ORDER:
        return {
            "places": range(1, len(offered) + 1),
            "items": [
                {**item, "place": _place(selected.get(f"place-{item['id']}"), default=place)}
                for place, item in enumerate(offered, start=1)
            ],
        }
    return {"choices": offered}


def _place(value, *, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _parts_result(version, parts):
    """A locked match or order answer, part by part, with the right pairing or order."""
    given = {part.key: part for part in parts}
    choices = sorted(version.choices.all(), key=lambda choice: choice.position)
    if version.kind == Question.MATCH:
        text_of = {choice.key: choice.text for choice in choices}
        rows = [
            {
                "text": pair.text,
                "given": text_of.get(given[pair.key].given, "") if pair.key in given else "",
                "right": pair.key in given and given[pair.key].right,
                "answer": text_of.get(pair.answer_key, ""),
                "feedback_html": pair.feedback_html,
            }
            for pair in version.pairs.all()
        ]
        counted = "pairs right"
    else:
        right_place = {choice.key: place for place, choice in enumerate(choices, start=1)}
        in_learner_order = sorted(
            choices, key=lambda c: int(given[c.key].given) if c.key in given else 0
        )
        rows = [
            {
                "text": choice.text,
                "given": given[choice.key].given if choice.key in given else "",
                "right": choice.key in given and given[choice.key].right,
                "answer": right_place[choice.key],
                "feedback_html": choice.feedback_html,
            }
            for choice in in_learner_order
        ]
        counted = "items in place"
    right = sum(1 for row in rows if row["right"])
    return {
        "parts": rows,
        "right_order": [choice.text for choice in choices],
        "parts_summary": f"{right} of {len(rows)} {counted}",
    }
