import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Learner
from quizzes.scoring import answer_question, start_attempt
from tests.html import XSS_PAYLOADS, ParsedHTML, assert_no_markup_from_authors
from tests.support import admin_change_url, question_form

pytestmark = pytest.mark.django_db

HX_DISABLED_WRAPPER = ("div", {"hx-disable": None})


def preview_url(question):
    return reverse("admin:quizzes_question_preview", args=[question.pk])


def cards(client, question):
    """The preview page's cards, each as its own HTML."""
    html = client.get(preview_url(question)).content.decode()
    return [part.split("</details>")[0] for part in html.split('class="card-preview"')[1:]]


def test_the_change_page_links_to_the_preview(instructor_client, question):
    html = instructor_client.get(admin_change_url(question)).content.decode()
    assert f'href="{preview_url(question)}"' in html
    assert "Preview as learner" in html


def test_before_answering_the_card_shows_the_choices_and_nothing_of_the_answers(
    instructor_client, question
):
    before = cards(instructor_client, question)[0]
    for text in ["First?", "Choice 1", "Choice 2", "Choice 3", "Question 1 of 4", "Check"]:
        assert text in before
    for secret in ["Correct answer", "Feedback for choice", "Because the lesson says so."]:
        assert secret not in before


def test_after_a_right_answer_the_card_shows_the_verdict_feedback_and_explanation(
    instructor_client, question
):
    after = cards(instructor_client, question)[1]
    for text in [
        "Right.",
        "Correct answer",
        "Feedback for choice 1.",
        "Because the lesson says so.",
    ]:
        assert text in after
    assert "/sections/section-1/#overview" in after


def test_each_wrong_choice_has_a_card_with_its_feedback(instructor_client, question):
    wrong = cards(instructor_client, question)[2:]
    assert len(wrong) == 2
    assert "Not quite." in wrong[0]
    assert "Feedback for choice 2." in wrong[0]
    assert "Feedback for choice 3." in wrong[1]


def test_the_cards_cannot_be_used(instructor_client, question):
    html = instructor_client.get(preview_url(question)).content.decode()
    containers = [
        attrs for tag, attrs in ParsedHTML(html).elements if attrs.get("class") == "card-preview"
    ]
    assert len(containers) == 4
    assert all("inert" in attrs and "hx-disable" in attrs for attrs in containers)


def test_the_preview_is_for_staff_only(client, question):
    response = Client().get(preview_url(question))
    assert response.status_code == 302
    assert "First?" not in response.content.decode()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_typed_into_a_question_reach_the_card_as_text(
    instructor_client, question, payload
):
    data = question_form(question, [("Yes", True), ("No", False)])
    data.update({"prompt": payload, "explanation": payload, "choices-1-feedback": payload})
    assert instructor_client.post(admin_change_url(question), data).status_code == 302
    html = instructor_client.get(preview_url(question)).content.decode()
    for region in ["prompt", "feedback", "explanation"]:
        parsed = ParsedHTML(html, inside=region)
        assert parsed.found, region
        # The template's own wrapper around the explanation is the one hx- attribute allowed.
        authored = [element for element in parsed.elements if element != HX_DISABLED_WRAPPER]
        assert_no_markup_from_authors(authored)


def test_retired_choices_do_not_count_toward_the_choice_rules(instructor_client, question):
    data = question_form(question, [("A", True), ("B", False), ("C", True)])
    del data["choices-2-active"]
    assert instructor_client.post(admin_change_url(question), data).status_code == 302
    assert list(question.choices.filter(active=True).values_list("text", flat=True)) == ["A", "B"]


def test_a_choice_learners_chose_can_be_deleted_and_their_answer_still_shows_it(
    instructor_client, question
):
    attempt = start_attempt(learner=Learner.objects.create(), quiz=question.quiz)
    answer = attempt.answers.get(question=question)
    chosen = answer.version.choices.get(position=3)
    answer_question(answer=answer, raw_choice_ids=[chosen.pk])
    response = instructor_client.post(
        admin_change_url(question), question_form(question, [("A", True), ("B", False)])
    )
    assert response.status_code == 302
    assert not question.choices.filter(position=3).exists()
    assert [choice.text for choice in answer.chosen.all()] == [chosen.text]
