"""Versioned questions: what a learner answered is what they are shown, whatever is edited
or re-imported later; new attempts ask the question as it is now."""

import re

import pytest
from django.urls import reverse

from course.content.format import section_files
from course.content.reader import read_content
from course.models import Section
from quizzes.analysis import question_results
from quizzes.models import Attempt, Question, QuestionVersion
from tests.builders import copy_real_content, write_course
from tests.support import admin_change_url, import_fails, question_form, run_command

pytestmark = pytest.mark.django_db


def results_page(client, attempt):
    """The results page's main content (the page around it carries a fresh CSP nonce)."""
    page = client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def write_back(folder, course_data):
    """Write a course's data into `folder` through the format's one writer."""
    for section in course_data.sections:
        for name, text in section_files(section).items():
            (section.path.parent / name).write_text(text)


@pytest.fixture
def content(tmp_path):
    """A copy of the real content/, imported."""
    folder = copy_real_content(tmp_path / "content")
    run_command("import_content", folder)
    return folder


@pytest.fixture
def finished(client, content, start_quiz, answer_all):
    """The client's learner took the real 2.4 quiz and missed every question."""
    attempt = start_quiz(Section.objects.get(slug="inference-patterns"))
    answer_all(attempt, right=False)
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    return Attempt.objects.get(pk=attempt.pk)


def versions():
    return sorted(QuestionVersion.objects.values_list("question_id", "number"))


def test_reimporting_unchanged_content_makes_no_new_version(content):
    before = versions()
    run_command("import_content", content)
    assert versions() == before
    assert all(number == 1 for _, number in before)


def test_a_first_import_gives_every_question_of_every_quiz_its_own_first_version(tmp_path):
    content = write_course(tmp_path / "content", sections=3)
    run_command("import_content", content)
    questions = Question.objects.select_related("current_version").prefetch_related(
        "choices", "current_version__choices"
    )
    assert len(questions) == 12
    for question in questions:
        version = question.current_version
        assert (version.question_id, version.number, version.prompt) == (
            question.pk,
            1,
            question.prompt,
        )
        assert [(c.key, c.correct) for c in version.choices.all()] == [
            (c.key, c.correct) for c in question.choices.all()
        ]


def test_swapping_two_choices_and_reimporting_leaves_every_result_as_it_was(
    client, content, finished
):
    """The issue's case: results read "Your answer: Batch inference — Right answer: Batch
    inference" after the first two choice blocks of question 1 were swapped."""
    before = results_page(client, finished)
    quiz_file = content / "2.4-inference-patterns" / "quiz.toml"
    head, question_1, *rest = quiz_file.read_text().split("[[questions]]")
    stem, first, second, *other_choices = question_1.split("[[questions.choices]]")
    question_1 = "[[questions.choices]]".join([stem, second, first, *other_choices])
    quiz_file.write_text("[[questions]]".join([head, question_1, *rest]))
    unchanged = versions()
    run_command("import_content", content)
    assert versions() == unchanged
    assert results_page(client, finished) == before


def test_reordering_questions_and_choices_is_not_a_change_of_meaning(
    client, content, finished, start_quiz
):
    course = read_content(content)
    quiz = course.sections[0].quiz
    quiz.questions.reverse()
    for question in quiz.questions:
        if question.kind != "order":  # an order question's order is its answer
            question.choices.reverse()
            question.pairs.reverse()
    write_back(content, course)
    before = versions()
    run_command("import_content", content)
    assert versions() == before
    first = Question.objects.get(active=True, position=1)
    assert first.key == quiz.questions[0].key
    assert list(first.choices.values_list("key", flat=True)) == [
        choice.key for choice in quiz.questions[0].choices
    ]


def test_an_imported_prompt_edit_is_a_new_version_for_new_attempts_only(
    client, content, finished, start_quiz
):
    before = results_page(client, finished)
    course = read_content(content)
    edited = course.sections[0].quiz.questions[0]
    old_prompt, edited.prompt = edited.prompt, "A rewritten scenario: which pattern fits?"
    write_back(content, course)
    run_command("import_content", content)
    question = Question.objects.get(key=edited.key)
    assert list(question.versions.values_list("number", flat=True)) == [1, 2]
    assert question.current_version.number == 2
    assert results_page(client, finished) == before
    assert old_prompt.split()[0] in before
    again = start_quiz(Section.objects.get(slug="inference-patterns"))
    answer = again.answers.get(question=question)
    assert answer.version == question.current_version
    assert answer.version.prompt == edited.prompt


def test_an_admin_edit_of_a_correct_flag_leaves_answered_attempts_as_they_were(
    client, instructor_client, small_course, start_quiz, answer_all
):
    attempt = answer_all(start_quiz(small_course), right=True)
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    before = results_page(client, attempt)
    question = small_course.quiz.questions.get(position=1)
    flipped = [(c.text, not c.correct and c.position == 2) for c in question.choices.all()]
    response = instructor_client.post(admin_change_url(question), question_form(question, flipped))
    assert response.status_code == 302
    assert results_page(client, attempt) == before
    assert Attempt.objects.get(pk=attempt.pk).score == 100
    again = answer_all(start_quiz(small_course), right=True)
    answer = again.answers.get(question=question)
    assert answer.version.number == 2
    assert [c.text for c in answer.chosen.all()] == ["Choice 2"]


def test_an_admin_edit_that_changes_nothing_makes_no_new_version(instructor_client, small_course):
    question = small_course.quiz.questions.get(position=1)
    same = [(choice.text, choice.correct) for choice in question.choices.all()]
    question_form_data = question_form(question, same)
    for index, choice in enumerate(question.choices.all()):
        question_form_data[f"choices-{index}-feedback"] = choice.feedback
    instructor_client.post(admin_change_url(question), question_form_data)
    assert question.versions.count() == 1


def test_item_analysis_tells_the_versions_learners_answered_apart(
    client, content, finished, start_quiz, answer_all
):
    course = read_content(content)
    edited = course.sections[0].quiz.questions[0]
    edited.explanation = "A clearer explanation."
    write_back(content, course)
    run_command("import_content", content)
    answer_all(start_quiz(Section.objects.get(slug="inference-patterns")), right=True)
    rows = [r for r in question_results(finished.quiz) if r.position == 1]
    assert [(r.version, r.versions, r.answers, r.right) for r in rows] == [
        (1, 2, 1, 0),
        (2, 2, 1, 1),
    ]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ('key = "Two words"', "choices[1].key: use up to 60 letters"),
        ('key = "choice-2"', "choices[2].key: the same key as number 1"),
    ],
    ids=["not-a-slug", "repeated"],
)
def test_a_bad_choice_key_is_refused_with_its_line(tmp_path, key, message):
    folder = copy_real_content(tmp_path / "content")
    quiz_file = folder / "2.4-inference-patterns" / "quiz.toml"
    text = quiz_file.read_text()
    head, rest = text.split("[[questions.choices]]\n", 1)
    first_key_line = rest.splitlines()[0]
    second_key = rest.split("[[questions.choices]]\n", 1)[1].splitlines()[0]
    key = key.replace('"choice-2"', second_key.removeprefix("key = "))
    quiz_file.write_text(head + "[[questions.choices]]\n" + rest.replace(first_key_line, key, 1))
    problems = import_fails(folder)
    assert message in problems
    assert "quiz.toml:" in problems
    assert not Section.objects.exists()
