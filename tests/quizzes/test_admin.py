import pytest
from django.urls import reverse

from quizzes.models import Choice, Question
from tests.support import admin_change_url, question_form

pytestmark = pytest.mark.django_db


def test_the_admin_saves_a_valid_question_and_renders_its_markdown(admin_client, question):
    data = question_form(question, [("Yes", True), ("No", False), ("Maybe", False)])
    data["prompt"] = "Which *one*? <script>alert(1)</script>"
    response = admin_client.post(admin_change_url(question), data)
    assert response.status_code == 302
    question.refresh_from_db()
    # Raw HTML is stripped to its text (issue 15), no longer shown escaped.
    assert question.prompt_html == "Which <em>one</em>? alert(1)"
    assert list(question.choices.values_list("text", flat=True)) == ["Yes", "No", "Maybe"]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([("Only", True)], "A question needs at least two choices."),
        ([("A", True), ("B", True), ("C", False)], "exactly one correct choice, not 2"),
        ([("A", False), ("B", False), ("C", False)], "exactly one correct choice, not 0"),
        ([("A", True), ("A", False), ("C", False)], "Two choices have the same text."),
    ],
    ids=["too-few", "two-correct", "none-correct", "duplicate"],
)
def test_the_admin_refuses_what_the_importer_refuses(admin_client, question, choices, message):
    before = list(Choice.objects.values_list("pk", "text", "correct"))
    response = admin_client.post(admin_change_url(question), question_form(question, choices))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Choice.objects.values_list("pk", "text", "correct")) == before


def test_a_select_all_question_needs_one_correct_choice(admin_client, question):
    data = question_form(question, [("A", False), ("B", False), ("C", False)])
    data["kind"] = Question.MULTIPLE
    response = admin_client.post(admin_change_url(question), data)
    assert "at least one correct choice" in response.content.decode()


def test_the_heading_must_exist_in_the_lesson(admin_client, question):
    data = question_form(question, [("A", True), ("B", False), ("C", False)])
    data["heading_id"] = "nowhere"
    response = admin_client.post(admin_change_url(question), data)
    assert "No heading with this id in the lesson" in response.content.decode()


def test_quizzes_are_listed_with_their_questions(admin_client, small_course):
    response = admin_client.get(reverse("admin:quizzes_quiz_change", args=[small_course.quiz.pk]))
    html = response.content.decode()
    for prompt in ["First?", "Second?", "Third?", "Fourth?"]:
        assert prompt in html


def test_the_question_list_shows_prompts_without_markdown_syntax(admin_client, seed_course):
    html = admin_client.get(reverse("admin:quizzes_question_changelist")).content.decode()
    assert "*weekly*" not in html
    assert "ready before a weekly review" in html
