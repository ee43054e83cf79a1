"""Query budgets, all in one place: the most queries each page and action may run, each
checked on a small and on a large course, quiz, history or review queue."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from course.models import Section
from quizzes.analysis import question_results, quiz_result
from quizzes.learners import LOGIN_BACKEND
from quizzes.models import Attempt, Learner, LessonCompletion, Question, ReviewItem
from tests.builders import question_toml, review_questions
from tests.support import HTMX, START, choice_ids, finished_attempt, question_url, take_quiz

pytestmark = pytest.mark.django_db


# Pages, for a learner with progress, anonymous or signed in: the same count, for the
# session is read from the shared cache and a signed-in user comes with their learner in
# one query (quizzes/learners.py), as an anonymous learner does. Each counts one query
# for the site menu's count of reviews due, made once and then kept in the cache
# (quizzes/review.py, reviews_due_today).
PAGES = {
    # The course and its chapters (2, then kept in the cache), the sections complete in
    # each (2) and where Continue goes (the attempts left open, and the first section to
    # do from the last one visited, or from the start).
    "course:outline": 9,
    "course:chapter": 9,
    # Rendered: the section, whether the learner marked it read, their record on its
    # quiz, the last section they visited (written when it changes), and the cached
    # parts' own (the lesson text (2), its takeaways, the pager's two neighbours).
    "course:lesson": 11,
    "quizzes:quiz": 5,
    "quizzes:question": 7,
    "quizzes:results": 7,  # and one for the next section it links to
    "quizzes:progress": 8,
    "quizzes:review": 9,
}
# The lesson with its shared parts cached, as learners nearly always get it: the user (or
# anonymous learner), whether they marked it read, and their record on its quiz.
LESSON_FROM_THE_CACHE = 3
# What the same learner posts. An answer also schedules the takeaway it tests for review
# (and notes the change on the learner, for the menu's count); starting as a visitor's
# very first request also makes their learner and session.
ACTIONS = {"lesson_complete": 10, "start": 13, "first_start": 17, "answer": 16, "finish": 8}
# Pages for a visitor without progress: rendered for the first such visitor, then served
# from the cache to the next.
# The lesson: the section, its text (2: read only when not cached), takeaways, neighbours.
FIRST_VISIT = {"course:outline": 3, "course:chapter": 7, "course:lesson": 6}
FROM_THE_CACHE = {"course:outline": 0, "course:chapter": 0, "course:lesson": 0}
HEALTH_CHECK = 0
# Search (the sections that match, their takeaways), for a visitor and for a signed-in user
# (the user, fetched with their learner and its review count; the session comes from the
# shared cache).
SEARCH = {"anonymous": 2, "signed in": 3}
# A learner's first visit of the day also saves their session, so that it lasts a year from
# that visit (course/project/sessions.py).
DAILY_SESSION_SAVE = 2
# The first page (the outline or My progress) to show a learner their course complete also
# makes their completion record (quizzes/completion.py); later pages fetch it with them.
COMPLETION_RECORD_MADE = 5
# The item analysis on the quiz's admin page: exactly this many, however many attempts.
ITEM_ANALYSIS = {question_results: 1, quiz_result: 2}


def page_url(name, section):
    """The address of a page that needs at most a section."""
    if name in ("course:outline", "quizzes:progress", "quizzes:review"):
        return reverse(name)
    if name == "course:chapter":
        return reverse(name, args=[section.chapter])
    return reverse(name, args=[section.slug])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# A learner with progress, on a course of 1 and of 50 sections


@pytest.fixture(params=["anonymous", "signed in"])
def learner_client(request, client):
    if request.param == "signed in":
        user = get_user_model().objects.create_user("ada", password="x")
        client.force_login(user, backend=LOGIN_BACKEND)
    return client


@pytest.mark.parametrize("sections", [1, 50])
def test_every_page_and_action_of_a_learner_keeps_its_budget(
    learner_client, course_of, start_quiz, answer_all, django_assert_max_num_queries, sections
):
    client = learner_client
    section = course_of(sections)[sections // 2]
    complete = reverse("quizzes:lesson_complete", args=[section.slug])
    with django_assert_max_num_queries(ACTIONS["lesson_complete"]):
        client.post(complete, {"complete": "1"})
    with django_assert_max_num_queries(ACTIONS["start"]):
        attempt = start_quiz(section)
    with django_assert_max_num_queries(ACTIONS["answer"]):
        response = client.post(
            question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]}, **HTMX
        )
    assert response.status_code == 200
    answer_all(attempt)
    with django_assert_max_num_queries(ACTIONS["finish"]):
        client.post(reverse("quizzes:finish", args=[attempt.pk]))
    open_attempt = start_quiz(section)  # a new attempt, for the question page
    with django_assert_max_num_queries(PAGES["course:outline"] + COMPLETION_RECORD_MADE):
        client.get(reverse("course:outline"))  # the course of 1 section is now complete
    for name, budget in PAGES.items():
        cache.clear()  # measure the page as rendered, not as cached
        if name == "quizzes:question":
            url = question_url(open_attempt, 1)
        elif name == "quizzes:results":
            url = reverse(name, args=[attempt.pk])
        else:
            url = page_url(name, section)
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url


def test_a_signed_in_learner_gets_a_cached_lesson_in_three_queries_on_50_sections(
    client, course_of, django_assert_num_queries
):
    user = get_user_model().objects.create_user("ada", password="x")
    client.force_login(user, backend=LOGIN_BACKEND)
    sections = course_of(50)
    client.post(reverse("quizzes:lesson_complete", args=[sections[10].slug]), {"complete": "1"})
    client.get(sections[10].get_absolute_url())
    with django_assert_num_queries(LESSON_FROM_THE_CACHE):
        response = client.get(sections[10].get_absolute_url())
    assert "You marked this lesson complete." in response.content.decode()


def build_history(learner, sections, attempts_per_section):
    """Each of `sections` read, and its quiz passed `attempts_per_section` times."""
    for section in sections:
        LessonCompletion.objects.get_or_create(
            learner=learner, section=section, defaults={"completed_at": timezone.now()}
        )
        for _ in range(attempts_per_section):
            finished_attempt(learner, section, 100)


@pytest.mark.parametrize("name", ["course:outline", "quizzes:progress"])
def test_progress_pages_keep_their_budget_and_query_count_from_1_section_to_50(
    client, course_of, name, django_assert_max_num_queries
):
    user = get_user_model().objects.create_user("ada", password="x")
    learner = Learner.objects.create(user=user)
    client.force_login(user, backend=LOGIN_BACKEND)
    url = reverse(name)
    build_history(learner, course_of(1), 1)
    with django_assert_max_num_queries(PAGES[name] + COMPLETION_RECORD_MADE):
        client.get(url)  # the course is complete: the record is made
    with django_assert_max_num_queries(PAGES[name]):
        client.get(url)
    small = count_queries(client, url)
    LessonCompletion.objects.all().delete()
    Attempt.objects.all().delete()
    Section.objects.all().delete()
    sections = course_of(50)
    build_history(learner, sections[:20], 1)
    build_history(learner, sections[:1], 19)
    with django_assert_max_num_queries(PAGES[name]):
        client.get(url)
    assert count_queries(client, url) == small


# A quiz of 1 and of 30 questions


@pytest.mark.parametrize("question_count", [1, 30])
def test_quiz_pages_and_actions_keep_their_budget_however_many_questions(
    client, course_of, start_quiz, answer_all, django_assert_max_num_queries, question_count
):
    (section,) = course_of(
        1, questions=[question_toml(takeaway=1 + i % 2, key=f"q{i}") for i in range(question_count)]
    )
    assert Question.objects.count() == question_count
    with django_assert_max_num_queries(ACTIONS["first_start"]):
        attempt = start_quiz(section)
    url = question_url(attempt, 1)
    with django_assert_max_num_queries(PAGES["quizzes:question"]):
        client.get(url)
    with django_assert_max_num_queries(ACTIONS["answer"]):
        client.post(url, {"choice": choice_ids(attempt, 1)[:1]}, **HTMX)
    answer_all(attempt)
    with django_assert_max_num_queries(ACTIONS["finish"]):
        client.post(reverse("quizzes:finish", args=[attempt.pk]))
    with django_assert_max_num_queries(PAGES["quizzes:results"]):
        client.get(reverse("quizzes:results", args=[attempt.pk]))
    with django_assert_max_num_queries(PAGES["quizzes:quiz"]):
        client.get(page_url("quizzes:quiz", section))


# A review queue of 1 and of 4 takeaways due


@pytest.mark.parametrize("due", [1, 4])
def test_the_review_page_keeps_its_budget_however_many_are_due(
    client, course_of, clock, due, django_assert_max_num_queries
):
    sections = course_of(2, questions=review_questions())
    for section in sections[:2]:
        client.post(reverse("quizzes:start", args=[section.slug]))
    for attempt in Attempt.objects.all():
        for position in (1, 4):
            if ReviewItem.objects.count() >= due:
                break
            client.post(
                question_url(attempt, position),
                {"choice": choice_ids(attempt, position, correct=False)[:1]},
            )
    assert ReviewItem.objects.count() == due
    clock.move_to(START + timedelta(days=1))
    with django_assert_max_num_queries(PAGES["quizzes:review"] + DAILY_SESSION_SAVE):
        client.get(reverse("quizzes:review"))  # the day's first visit moves the session on
    with django_assert_max_num_queries(PAGES["quizzes:review"]):
        client.get(reverse("quizzes:review"))


# Visitors without progress


@pytest.mark.parametrize("name", FIRST_VISIT)
def test_a_first_visit_keeps_its_budget_and_query_count_from_1_section_to_50(
    client, course_of, name, django_assert_max_num_queries
):
    url = page_url(name, course_of(1)[0])
    cache.clear()  # measure the page as rendered; a cached one takes no query at all
    with django_assert_max_num_queries(FIRST_VISIT[name]):
        client.get(url)
    cache.clear()
    one = count_queries(client, url)
    Section.objects.all().delete()
    course_of(50)
    cache.clear()
    with django_assert_max_num_queries(FIRST_VISIT[name]):
        client.get(url)
    cache.clear()
    assert count_queries(client, url) == one


@pytest.mark.parametrize("name", FROM_THE_CACHE)
def test_the_next_visitor_gets_the_page_from_the_cache(
    client, small_course, name, django_assert_num_queries
):
    url = page_url(name, small_course)
    client.get(url)
    with django_assert_num_queries(FROM_THE_CACHE[name]):
        response = Client().get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("who", SEARCH)
@pytest.mark.parametrize("sections", [1, 50])
def test_search_keeps_its_budget_and_query_count_from_1_section_to_50(
    client, course_of, who, sections, django_assert_max_num_queries
):
    course_of(sections)
    if who == "signed in":
        client.force_login(
            get_user_model().objects.create_user("ada", password="x"), backend=LOGIN_BACKEND
        )
    url = reverse("course:search") + "?q=section+text"
    with django_assert_max_num_queries(SEARCH[who]):
        response = client.get(url)
    assert response.content.decode().count('class="search-excerpt"') == min(sections, 20)
    assert count_queries(client, url) == SEARCH[who]


def test_the_health_check_answers_ok_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(HEALTH_CHECK):
        response = client.get("/healthz/")
    assert response.content == b"ok"


# The item analysis, after 1 and after 20 attempts


@pytest.mark.parametrize("attempts", [1, 20])
@pytest.mark.parametrize(
    ("numbers", "queries"),
    ITEM_ANALYSIS.items(),
    ids=lambda value: getattr(value, "__name__", None),
)
def test_the_item_analysis_runs_a_fixed_number_of_queries(
    small_course, attempts, numbers, queries, django_assert_num_queries
):
    all_right = {1: [1], 2: [2], 3: [1, 3], 4: [3]}
    all_wrong = {1: [2], 2: [1], 3: [2], 4: [1]}
    for index in range(attempts):
        take_quiz(small_course.quiz, all_wrong if index % 2 else all_right)
    take_quiz(small_course.quiz, {1: [2]}, finished=False)
    with django_assert_num_queries(queries):
        numbers(small_course.quiz)


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_the_course_home_runs_as_many_queries_for_one_chapter_as_for_twelve(client, course_of, who):
    if who == "signed in":
        user = get_user_model().objects.create_user("ada", password="x")
        client.force_login(user, backend=LOGIN_BACKEND)
    first = course_of(2)[0]
    client.post(reverse("quizzes:lesson_complete", args=[first.slug]), {"complete": "1"})
    url = reverse("course:outline")
    one = count_queries(client, url)
    Section.objects.all().delete()
    course_of(24, per_chapter=2)
    cache.clear()
    assert count_queries(client, url) == one <= PAGES["course:outline"]
