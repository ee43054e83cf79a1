"""Every page a learner uses runs a fixed number of queries, whatever the size of the
course: each is checked with 1 and with 50 sections."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from tests.quizzes.conftest import HTMX, choice_ids, question_url

pytestmark = pytest.mark.django_db

# Most queries allowed, for a learner with progress, signed in (one more query, for the
# user) or not. The same budget holds with 1 and with 50 sections.
GET_BUDGETS = {
    "course:outline": 9,
    "course:lesson": 9,
    "quizzes:quiz": 6,
    "quizzes:question": 8,
    "quizzes:results": 7,
    "quizzes:progress": 9,
    "quizzes:review": 8,
}
# An answer also schedules the takeaway it tests for review.
POST_BUDGETS = {"lesson_complete": 11, "start": 14, "answer": 18, "finish": 10}


def url_of(name, section, *, finished, open_attempt):
    if name in ("course:outline", "quizzes:progress", "quizzes:review"):
        return reverse(name)
    if name == "quizzes:question":
        return question_url(open_attempt, 1)
    if name == "quizzes:results":
        return reverse(name, args=[finished.pk])
    return reverse(name, args=[section.slug])


@pytest.fixture(params=["anonymous", "signed in"])
def learner_client(request, client):
    if request.param == "signed in":
        client.force_login(get_user_model().objects.create_user("ada", password="x"))
    return client


@pytest.mark.parametrize("sections", [1, 50])
def test_learner_pages_have_a_fixed_query_budget(
    learner_client, course_of, start_quiz, answer_all, django_assert_max_num_queries, sections
):
    client = learner_client
    section = course_of(sections)[sections // 2]
    complete = reverse("quizzes:lesson_complete", args=[section.slug])
    with django_assert_max_num_queries(POST_BUDGETS["lesson_complete"]):
        client.post(complete, {"complete": "1"})
    with django_assert_max_num_queries(POST_BUDGETS["start"]):
        attempt = start_quiz(section)
    with django_assert_max_num_queries(POST_BUDGETS["answer"]):
        response = client.post(
            question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]}, **HTMX
        )
    assert response.status_code == 200
    answer_all(attempt)
    with django_assert_max_num_queries(POST_BUDGETS["finish"]):
        client.post(reverse("quizzes:finish", args=[attempt.pk]))
    open_attempt = start_quiz(section)  # a new attempt, for the question page
    for name, budget in GET_BUDGETS.items():
        cache.clear()  # measure the page as rendered, not as cached
        url = url_of(name, section, finished=attempt, open_attempt=open_attempt)
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url
