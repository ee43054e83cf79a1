import pytest
from django.urls import reverse

from quizzes.models import Attempt

HTMX = {"HTTP_HX_REQUEST": "true"}


def question_url(attempt, position):
    return reverse("quizzes:question", args=[attempt.pk, position])


def choice_ids(attempt, position, *, correct=None):
    """The attempt's choice ids for a question, optionally only the right or wrong ones."""
    response = attempt.answers.get(position=position)
    ids = attempt.choice_order[str(response.question_id)]
    if correct is None:
        return ids
    right = set(response.question.choices.filter(correct=True).values_list("pk", flat=True))
    return [pk for pk in ids if (pk in right) == correct]


@pytest.fixture
def start_quiz(client):
    """Start (or resume) the quiz of a section as the client's learner; returns the attempt."""

    def start(section, using=None):
        (using or client).post(reverse("quizzes:start", args=[section.slug]))
        return Attempt.objects.filter(quiz=section.quiz).order_by("-pk").first()

    return start


@pytest.fixture
def answer_all(client):
    """Answer every question of an attempt, rightly when `right` is set."""

    def answer(attempt, *, right=True, using=None):
        for position in range(1, attempt.question_count + 1):
            ids = choice_ids(attempt, position, correct=right)
            (using or client).post(
                question_url(attempt, position), {"choice": ids[:1] if not right else ids}
            )
        return attempt

    return answer


def question_form(question, choices):
    """The admin change form's POST data: the question as it is, with `choices`
    given as (text, correct) pairs replacing the existing ones in order."""
    existing = list(question.choices.order_by("position"))
    data = {
        "quiz": question.quiz_id,
        "position": question.position,
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "takeaway": question.takeaway_id,
        "heading_id": question.heading_id,
        "active": "on",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(existing),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, (text, correct) in enumerate(choices):
        prefix = f"choices-{index}-"
        if index < len(existing):
            data[prefix + "id"] = existing[index].pk
        data[prefix + "question"] = question.pk
        data[prefix + "position"] = index + 1
        data[prefix + "text"] = text
        data[prefix + "feedback"] = f"Feedback {index}"
        data[prefix + "active"] = "on"
        if correct:
            data[prefix + "correct"] = "on"
    for index in range(len(choices), len(existing)):
        prefix = f"choices-{index}-"
        data.update(
            {
                prefix + "id": existing[index].pk,
                prefix + "question": question.pk,
                prefix + "position": index + 1,
                prefix + "text": existing[index].text,
                prefix + "feedback": "x",
                prefix + "DELETE": "on",
            }
        )
        data["choices-TOTAL_FORMS"] = len(existing)
    return data
