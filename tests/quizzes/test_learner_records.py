"""Learner records survive content changes: the review queue, answers to changed content."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from course.models import Section
from quizzes.models import Attempt, Learner, Question, ReviewItem
from quizzes.review import due_items
from quizzes.scoring import answer_question, finish_attempt, start_attempt
from tests.builders import default_questions, question_toml, write_course
from tests.support import choice_ids, run_command

pytestmark = pytest.mark.django_db

QUESTIONS = [question_toml(prompt="T1?", takeaway=1), question_toml(prompt="T2?", takeaway=2)]


@pytest.fixture
def two_sections(course_of, clock):
    return course_of(2, questions=QUESTIONS)


def miss_everything(learner, section):
    attempt = start_attempt(learner=learner, quiz=section.quiz)
    for position in range(1, attempt.question_count + 1):
        answer_question(
            answer=attempt.answers.select_related("question").get(position=position),
            raw_choice_ids=choice_ids(attempt, position, correct=False)[:1],
        )
    finish_attempt(attempt=attempt)


@pytest.fixture
def learner_with_due_reviews(client, two_sections, clock):
    """A visitor who missed every question of both sections; the reviews are due tomorrow."""
    client.post(reverse("quizzes:lesson_complete", args=[two_sections[0].slug]), {"complete": 1})
    learner = Learner.objects.get()
    for section in two_sections:
        miss_everything(learner, section)
    clock.shift(timezone.timedelta(days=1))
    return learner


def due_count_on_outline(client):
    return client.get(reverse("course:outline")).context["reviews_due"]


def test_an_unpublished_section_does_not_block_the_review_queue(client, learner_with_due_reviews):
    first = due_items(learner_with_due_reviews).first().takeaway.section
    Section.objects.filter(pk=first.pk).update(published=False)
    page = client.get(reverse("quizzes:review"))
    assert page.context["item"] is not None
    assert page.context["item"].takeaway.section != first
    assert page.context["due_count"] == due_count_on_outline(client) == 2


def test_a_takeaway_whose_questions_are_all_retired_leaves_the_queue(
    client, learner_with_due_reviews
):
    item = due_items(learner_with_due_reviews).first()
    Question.objects.filter(takeaway=item.takeaway).update(active=False)
    page = client.get(reverse("quizzes:review"))
    assert page.context["item"] != item
    assert page.context["due_count"] == due_count_on_outline(client) == 3
    assert ReviewItem.objects.filter(pk=item.pk).exists()  # kept for when it comes back


# Content changed under a learner who has a question open


@pytest.fixture
def open_attempt(client, small_course):
    client.post(reverse("quizzes:start", args=[small_course.slug]))
    return Learner.objects.get().attempts.get()


def submit(client, attempt, choice_pk, position=1):
    url = reverse("quizzes:question", args=[attempt.pk, position])
    return client.post(url, {"choice": [choice_pk]})


def test_a_choice_deleted_by_a_reimport_while_the_question_is_open_is_still_answerable(
    client, open_attempt, tmp_path
):
    """Once a 500: the answer named a choice row the import had deleted. Now the learner
    answers the version of the question they were shown."""
    shown = open_attempt.answers.get(position=1).version
    gone = shown.choices.get(key="choice-3")
    first_with_two_choices = question_toml(prompt="First?", takeaway=1, choices=2)
    folder = write_course(
        tmp_path / "edited", questions=[first_with_two_choices, *default_questions()[1:]]
    )
    run_command("import_content", folder)
    assert not Question.objects.get(pk=shown.question_id).choices.filter(key="choice-3")
    assert submit(client, open_attempt, gone.pk).status_code == 302
    answer = open_attempt.answers.get(position=1)
    assert answer.correct is False
    assert list(answer.chosen.all()) == [gone]


def test_a_question_retired_mid_attempt_can_still_be_answered(client, open_attempt):
    question = open_attempt.answers.get(position=1).question
    Question.objects.filter(pk=question.pk).update(active=False)
    right = choice_ids(open_attempt, 1, correct=True)[0]
    assert submit(client, open_attempt, right).status_code == 302
    assert open_attempt.answers.get(position=1).correct is True


def test_a_section_unpublished_mid_attempt_answers_404_and_writes_nothing(client, open_attempt):
    Section.objects.update(published=False)
    right = choice_ids(open_attempt, 1, correct=True)[0]
    assert submit(client, open_attempt, right).status_code == 404
    assert not open_attempt.answers.filter(answered_at__isnull=False).exists()


# One learner, one attempt


def test_two_first_starts_of_one_browser_make_one_learner_and_one_attempt(small_course):
    """Both requests left before either's session cookie came back: they share only the
    browser's CSRF cookie, and that is enough."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("quizzes:quiz", args=[small_course.slug]))
    csrf = browser.cookies["csrftoken"].value
    redirects = []
    for _ in range(2):
        tab = Client(enforce_csrf_checks=True)
        tab.cookies["csrftoken"] = csrf
        response = tab.post(
            reverse("quizzes:start", args=[small_course.slug]), {"csrfmiddlewaretoken": csrf}
        )
        redirects.append(response.url)
    assert Learner.objects.count() == 1
    assert Attempt.objects.count() == 1
    assert redirects[0] == redirects[1]


# Progress that lasts


def test_an_anonymous_learner_who_comes_back_keeps_progress_past_the_old_14_days(
    client, small_course, clock
):
    lesson = reverse("course:lesson", args=[small_course.slug])
    client.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": 1})
    for _ in range(9):  # a visit every five days: 45 days in all
        clock.shift(timezone.timedelta(days=5))
        assert client.get(lesson).context["read"] is True


def test_a_session_is_saved_at_most_once_a_day(client, small_course, clock):
    lesson = reverse("course:lesson", args=[small_course.slug])
    client.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": 1})
    clock.shift(timezone.timedelta(hours=1))
    assert "sessionid" not in client.get(lesson).cookies  # saved once today already
    clock.shift(timezone.timedelta(days=1))
    assert "sessionid" in client.get(lesson).cookies


def test_a_session_not_seen_for_longer_than_its_lifetime_is_gone(
    client, small_course, clock, settings
):
    lesson = reverse("course:lesson", args=[small_course.slug])
    client.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": 1})
    clock.shift(timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
    assert "Mark lesson complete" in client.get(lesson).content.decode()
