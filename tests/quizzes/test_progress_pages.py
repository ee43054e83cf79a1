import pytest
from django.urls import reverse

from quizzes.models import Learner, LessonCompletion
from tests.support import HTMX

pytestmark = pytest.mark.django_db


def complete_url(section):
    return reverse("quizzes:lesson_complete", args=[section.slug])


def test_the_lesson_offers_to_mark_it_complete(client, small_course):
    html = client.get(small_course.get_absolute_url()).content.decode()
    assert "Mark lesson complete" in html


def test_marking_complete_without_javascript_redirects_back_to_the_lesson(client, small_course):
    response = client.post(complete_url(small_course), {"complete": "1"})
    assert response["Location"] == small_course.get_absolute_url() + "#completion"
    assert LessonCompletion.objects.filter(section=small_course).count() == 1
    html = client.get(small_course.get_absolute_url()).content.decode()
    assert "You marked this lesson complete." in html
    assert "Mark as not complete" in html


def test_marking_complete_with_htmx_returns_the_control_fragment(client, small_course):
    response = client.post(complete_url(small_course), {"complete": "1"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="completion"')
    assert 'role="status"' in html
    assert "Mark as not complete" in html


def test_marking_complete_can_be_undone(client, small_course):
    client.post(complete_url(small_course), {"complete": "1"})
    client.post(complete_url(small_course), {"complete": "0"})
    assert not LessonCompletion.objects.exists()


def test_undo_for_a_visitor_with_no_progress_writes_nothing(client, small_course):
    client.post(complete_url(small_course), {"complete": "0"})
    assert not Learner.objects.exists()


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_a_bad_completion_value_is_refused(client, small_course, value):
    response = client.post(complete_url(small_course), {"complete": value})
    assert response.status_code == 400
    assert not LessonCompletion.objects.exists()


def test_marking_complete_by_get_is_refused(client, small_course):
    assert client.get(complete_url(small_course)).status_code == 405


def test_outline_shows_read_best_score_passed_and_completion(
    client, small_course, start_quiz, answer_all
):
    client.post(complete_url(small_course), {"complete": "1"})
    attempt = answer_all(start_quiz(small_course))
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    html = client.get(reverse("course:chapter", args=[1])).content.decode()
    assert '<span class="badge badge-read">Read</span>' in html
    assert "Quiz best 100%" in html
    assert '<span class="badge badge-passed">Passed</span>' in html
    html = client.get("/").content.decode()
    assert "<strong>100%</strong>" in html
    assert "1 of 1 section complete" in html
    assert "You have completed every section." in html


def test_continue_takes_the_learner_to_the_quiz_after_reading(client, course_of):
    first, _second = course_of(2)
    client.get(first.get_absolute_url())
    client.post(complete_url(first), {"complete": "1"})
    html = client.get("/").content.decode()
    assert f'href="{first.quiz.get_absolute_url()}">Continue: 1.1 quiz' in html


def test_continue_follows_the_last_section_visited(client, course_of):
    first, _second, third = course_of(3)
    client.post(complete_url(first), {"complete": "1"})
    client.get(third.get_absolute_url())
    html = client.get("/").content.decode()
    assert f'href="{third.get_absolute_url()}">Continue: 1.3' in html


def test_my_progress_lists_sections_and_the_attempt_history(
    client, small_course, start_quiz, answer_all
):
    attempt = answer_all(start_quiz(small_course), right=False)
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    html = client.get(reverse("quizzes:progress")).content.decode()
    assert "1.1 Section 1" in html
    assert "<td>1</td>" in html
    assert "<strong>0%</strong> (not passed)" in html
    assert reverse("quizzes:results", args=[attempt.pk]) in html
