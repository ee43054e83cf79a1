import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quizzes.models import Learner, Question
from quizzes.progress import set_lesson_complete
from quizzes.reports import csv_cell
from quizzes.versions import record_versions
from tests.support import take_quiz

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:quizzes_learner_changelist"
CSV_URL = "admin:quizzes_learner_answers_csv"
ALL_RIGHT = {1: [1], 2: [2], 3: [1, 3], 4: [3]}


def learner_named(username):
    user = get_user_model().objects.create_user(username, password="x")
    return Learner.objects.create(user=user)


@pytest.fixture
def course(course_of):
    """Two sections (1.1 and 1.2), each with the four-question quiz; pass mark 50%."""
    return course_of(2)


@pytest.fixture
def ada(course):
    """Read both lessons; passed 1.1 at the second try (25%, then 100%); 1.2 not taken."""
    ada = learner_named("ada")
    first, second = course
    set_lesson_complete(learner=ada, section=first, complete=True)
    set_lesson_complete(learner=ada, section=second, complete=True)
    take_quiz(first.quiz, {1: [1], 2: [1], 3: [2], 4: [1]}, learner=ada)
    take_quiz(first.quiz, ALL_RIGHT, learner=ada)
    return ada


@pytest.fixture
def visitor(course):
    """Anonymous; read nothing; 25% on 1.2."""
    visitor = Learner.objects.create()
    take_quiz(course[1].quiz, {1: [1], 2: [1], 3: [2], 4: [1]}, learner=visitor)
    return visitor


def rows_of(response):
    text = b"".join(response.streaming_content).decode()
    # Spreadsheet programs read the file as UTF-8 only after a byte-order mark.
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_report_lists_sections_read_and_best_score_per_quiz(instructor_client, ada, visitor):
    html = instructor_client.get(reverse(CHANGELIST)).content.decode()
    assert '<td class="field-sections_read">2</td>' in html
    assert '<td class="field-quiz_scores">1.1: 100% passed</td>' in html
    assert '<td class="field-quiz_scores">1.2: 25%</td>' in html
    assert f"Anonymous learner {visitor.pk}" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"account": "yes"}, "ada", "Anonymous learner"),
        ({"account": "no"}, "Anonymous learner", "ada"),
        ({"passed": "first-quiz"}, "ada", "Anonymous learner"),
        ({"read": "second-section"}, "ada", "Anonymous learner"),
        ({"q": "ada"}, "ada", "Anonymous learner"),
    ],
    ids=["with-account", "anonymous", "passed-quiz", "read-lesson", "search"],
)
def test_the_report_is_filterable(instructor_client, course, ada, visitor, query, shown, hidden):
    values = {"first-quiz": course[0].quiz.pk, "second-section": course[1].pk}
    query = {key: values.get(value, value) for key, value in query.items()}
    html = instructor_client.get(reverse(CHANGELIST), query).content.decode()
    assert shown in html
    assert hidden not in html
    assert "1 learner" in html


def test_filtering_does_not_change_the_counts(instructor_client, course, ada):
    html = instructor_client.get(reverse(CHANGELIST), {"passed": course[0].quiz.pk}).content
    assert '<td class="field-sections_read">2</td>' in html.decode()


def test_a_learner_page_shows_progress_section_by_section(instructor_client, course, ada):
    url = reverse("admin:quizzes_learner_change", args=[ada.pk])
    html = instructor_client.get(url).content.decode()
    assert "50% of the published sections complete" in html
    assert "<td>100%</td>" in html
    assert f"?learner__id__exact={ada.pk}" in html
    assert "/admin/auth/user/" not in html
    attempts = instructor_client.get(
        reverse("admin:quizzes_attempt_changelist"), {"learner__id__exact": ada.pk}
    )
    assert "2 attempts" in attempts.content.decode()


def test_an_instructor_cannot_change_or_delete_a_learner(instructor_client, ada):
    assert (
        instructor_client.post(reverse("admin:quizzes_learner_change", args=[ada.pk])).status_code
        == 403
    )
    delete = reverse("admin:quizzes_learner_delete", args=[ada.pk])
    assert instructor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Learner.objects.filter(pk=ada.pk).exists()


def test_the_csv_has_one_row_per_answer(instructor_client, course, ada, visitor):
    # One answer; three unanswered.
    take_quiz(course[0].quiz, {1: [2]}, learner=visitor, finished=False)
    response = instructor_client.get(reverse(CSV_URL))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="responses.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == [
        "learner",
        "attempt",
        "section",
        "quiz",
        "score",
        "finished",
        "question",
        "chosen",
        "correct",
        "confidence",
        "when",
    ]
    assert len(rows) == 1 + 4 + 4 + 4 + 1
    first = rows[1]
    assert first[0] == "ada"
    assert first[2:4] == ["1.1", course[0].quiz.title]
    assert first[4] == "25"  # the attempt's score, on each of its rows
    assert first[5].endswith("+00:00")
    assert first[6:9] == ["Q1: First?", "Choice 1", "yes"]
    assert first[9] == ""  # no "I'm sure" or "I'm guessing" given
    assert first[10].endswith("+00:00")
    assert rows[3][6:9] == ["Q3: Third?", "Choice 2", "no"]
    assert rows[7][4] == "100"
    assert rows[7][6:9] == ["Q3: Third?", "Choice 1 | Choice 3", "yes"]
    assert [row[0] for row in rows[9:]] == [f"Anonymous learner {visitor.pk}"] * 5
    assert rows[-1][2:3] + rows[-1][6:9] == ["1.1", "Q1: First?", "Choice 2", "no"]
    # The attempt still open has no score and no finishing time yet.
    assert rows[-1][4:6] == ["", ""]


def test_the_csv_cannot_smuggle_a_formula_into_a_spreadsheet(instructor_client, course):
    learner = learner_named("=HYPERLINK(evil)")
    question = course[0].quiz.questions.get(position=1)
    question.choices.filter(position=1).update(text="+1 or -1")
    record_versions([Question.objects.prefetch_related("choices").get(pk=question.pk)])
    take_quiz(course[0].quiz, {1: [1]}, learner=learner, finished=False)
    course[0].quiz.title = "=cmd|' /C calc'!A0"
    course[0].quiz.save()
    (row,) = rows_of(instructor_client.get(reverse(CSV_URL)))[1:]
    assert row[0] == "'=HYPERLINK(evil)"
    assert row[3] == "'=cmd|' /C calc'!A0"
    assert row[7] == "'+1 or -1"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(text):
    assert csv_cell(text) == "'" + text


def test_other_cells_are_left_alone():
    assert [csv_cell(value) for value in ["ada", "1.1", 7, "a=b"]] == ["ada", "1.1", 7, "a=b"]


def test_the_csv_is_for_those_who_may_see_answers(client, ada):
    assert client.get(reverse(CSV_URL)).status_code == 302
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(CSV_URL)).status_code == 403
