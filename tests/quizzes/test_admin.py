import re

import pytest
from django.urls import reverse, reverse_lazy

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


def test_question_labels_show_prompts_without_markdown_syntax(admin_client, question):
    question.prompt = "Which *one* of **these**?"
    question.save()
    assert str(question) == "Q1: Which one of these?"
    html = admin_client.get(admin_change_url(question.quiz)).content.decode()
    assert "Which one of these?" in html
    assert "*one*" not in html


ADD_URL = reverse_lazy("admin:quizzes_question_add")


def options_of(html, name):
    """The (value, text) options of a select, and the labels of its groups."""
    select = html.split(f'name="{name}"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return [option for option in options if option[0]], re.findall(r'label="([^"]*)"', select)


def test_a_new_question_of_a_quiz_offers_its_own_takeaways_by_text(instructor_client, course_of):
    _first, second = course_of(2)
    html = instructor_client.get(ADD_URL, {"quiz": second.quiz.pk}).content.decode()
    takeaways, groups = options_of(html, "takeaway")
    assert [text for _value, text in takeaways] == ["Takeaway 1 of 1.2.", "Takeaway 2 of 1.2."]
    assert groups == []


def test_a_new_question_without_a_quiz_groups_takeaways_and_headings_by_section(
    instructor_client, course_of
):
    course_of(2)
    html = instructor_client.get(ADD_URL).content.decode()
    takeaways, groups = options_of(html, "takeaway")
    assert "Takeaway 1 of 1.1." in [text for _value, text in takeaways]
    assert groups == ["1.1 Section 1.1", "1.2 Section 1.2"]
    headings, groups = options_of(html, "heading_id")
    assert ("overview", "Overview") in headings
    assert len(groups) == 2


def test_the_heading_is_chosen_from_the_lessons_headings_by_title(instructor_client, question):
    html = instructor_client.get(admin_change_url(question)).content.decode()
    headings, _groups = options_of(html, "heading_id")
    assert headings == [("overview", "Overview"), ("details", "Details")]
    assert '<option value="overview" selected>' in html


def test_a_new_question_starts_with_choice_rows_and_needs_no_positions(
    instructor_client, small_course
):
    quiz = small_course.quiz
    html = instructor_client.get(ADD_URL, {"quiz": quiz.pk}).content.decode()
    assert 'name="choices-TOTAL_FORMS" value="3"' in html
    assert 'name="position" value="5"' in html
    takeaway = small_course.takeaways.get(position=1)
    data = {
        "quiz": quiz.pk,
        "position": "",
        "kind": Question.SINGLE,
        "prompt": "Fifth?",
        "explanation": "Because.",
        "takeaway": takeaway.pk,
        "heading_id": "details",
        "key": "",
        "active": "on",
        "choices-TOTAL_FORMS": 3,
        "choices-INITIAL_FORMS": 0,
        "pairs-TOTAL_FORMS": 0,
        "pairs-INITIAL_FORMS": 0,
    }
    for index, text in enumerate(["Yes", "No", "Maybe"]):
        data.update({f"choices-{index}-text": text, f"choices-{index}-feedback": "Why."})
        data[f"choices-{index}-active"] = "on"
        data[f"choices-{index}-position"] = ""
    data["choices-0-correct"] = "on"
    response = instructor_client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()
    question = quiz.questions.get(prompt="Fifth?")
    assert question.position == 5
    assert list(question.choices.values_list("position", "text")) == [
        (1, "Yes"),
        (2, "No"),
        (3, "Maybe"),
    ]


def test_a_saved_question_shows_only_its_own_choices(instructor_client, question):
    html = instructor_client.get(admin_change_url(question)).content.decode()
    assert 'name="choices-TOTAL_FORMS" value="3"' in html
    assert 'href="/static/css/admin.css"' in html
