import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Learner, LessonCompletion
from tests.quizzes.conftest import HTMX

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
    html = client.get("/").content.decode()
    assert '<span class="badge badge-read">Read</span>' in html
    assert "Quiz best 100%" in html
    assert '<span class="badge badge-passed">Passed</span>' in html
    assert "<strong>100%</strong>" in html
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


def build_history(learner, sections, attempts_per_section):
    now = timezone.now()
    for section in sections:
        LessonCompletion.objects.get_or_create(
            learner=learner, section=section, defaults={"completed_at": now}
        )
        Attempt.objects.bulk_create(
            Attempt(
                learner=learner,
                quiz=section.quiz,
                started_at=now,
                finished_at=now,
                question_count=4,
                correct_count=4,
                score=100,
                passed=True,
            )
            for _ in range(attempts_per_section)
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["course:outline", "quizzes:progress"])
def test_progress_pages_have_a_flat_query_budget(
    client, course_of, url_name, django_assert_max_num_queries
):
    user = get_user_model().objects.create_user("ada", password="x")
    learner = Learner.objects.create(user=user)
    client.force_login(user)
    url = reverse(url_name)
    build_history(learner, course_of(1), 1)
    with django_assert_max_num_queries(9):
        client.get(url)
    small = count_queries(client, url)
    LessonCompletion.objects.all().delete()
    Attempt.objects.all().delete()
    from course.models import Section

    Section.objects.all().delete()
    sections = course_of(50)
    build_history(learner, sections[:20], 1)
    build_history(learner, sections[:1], 19)
    with django_assert_max_num_queries(9):
        client.get(url)
    assert count_queries(client, url) == small


def test_lesson_page_queries_are_flat_for_a_signed_in_learner(
    client, course_of, django_assert_max_num_queries
):
    user = get_user_model().objects.create_user("ada", password="x")
    client.force_login(user)
    sections = course_of(50)
    client.post(complete_url(sections[10]), {"complete": "1"})
    client.get(sections[10].get_absolute_url())
    with django_assert_max_num_queries(9):
        client.get(sections[10].get_absolute_url())
