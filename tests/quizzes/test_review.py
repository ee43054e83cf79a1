from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, ReviewAnswer, ReviewItem
from quizzes.review import answer_review, question_for
from quizzes.scoring import answer_question, finish_attempt, start_attempt
from tests.builders import question_toml, review_questions
from tests.support import HTMX, LEARNER_PASSWORD, START, choice_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(course_of, clock):
    (section,) = course_of(1, questions=review_questions())
    return section


def answer_quiz(learner, section, outcomes):
    """outcomes: {position: (right, confidence)}; other questions right and sure."""
    attempt = start_attempt(learner=learner, quiz=section.quiz)
    for position in range(1, attempt.question_count + 1):
        right, confidence = outcomes.get(position, (True, "sure"))
        response = attempt.answers.select_related("question").get(position=position)
        answer_question(
            answer=response,
            raw_choice_ids=choice_ids(attempt, position, correct=right)[:1],
            confidence=confidence,
        )
    return finish_attempt(attempt=attempt)


def review_once(item, *, right, confidence="sure"):
    item.refresh_from_db()
    version = question_for(item)
    correct = list(version.choices.filter(correct=right).values_list("pk", flat=True))
    return answer_review(
        item=item,
        version=version,
        raw_choice_ids=correct[:1],
        confidence=confidence,
        turn=item.reviews,
    )


def item_for(learner, position):
    return ReviewItem.objects.get(learner=learner, takeaway__position=position)


# The schedule


def test_a_missed_quiz_question_puts_its_takeaway_in_the_queue_for_tomorrow(section, learner):
    answer_quiz(learner, section, {2: (False, "sure")})
    item = item_for(learner, 1)
    assert (item.step, item.due_at) == (0, START + timedelta(days=1))
    assert item.last_question.prompt == "T1 second?"


def test_a_right_guess_also_goes_in_the_queue(section, learner):
    answer_quiz(learner, section, {4: (True, "guessing")})
    assert item_for(learner, 2).due_at == START + timedelta(days=1)


def test_right_and_sure_answers_schedule_nothing(section, learner):
    answer_quiz(learner, section, {})
    assert not ReviewItem.objects.filter(due_at__isnull=False).exists()


def test_each_right_and_sure_review_moves_up_a_step(section, learner, clock):
    answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    expected = [(1, 3), (2, 7), (3, 21)]
    for step, days in expected:
        clock.move_to(item.due_at)
        review_once(item, right=True)
        item.refresh_from_db()
        assert item.step == step
        assert item.due_at == timezone.now() + timedelta(days=days)
    clock.move_to(item.due_at)
    review_once(item, right=True)
    item.refresh_from_db()
    assert (item.step, item.due_at) == (4, None)


def test_a_miss_sends_the_takeaway_back_to_the_first_step(section, learner, clock):
    answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    for _ in range(2):
        clock.move_to(item.due_at)
        review_once(item, right=True)
        item.refresh_from_db()
    clock.move_to(item.due_at)
    review_once(item, right=False)
    item.refresh_from_db()
    assert (item.step, item.due_at) == (0, timezone.now() + timedelta(days=1))


def test_a_right_guess_counts_as_a_miss_for_scheduling(section, learner, clock):
    answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    clock.move_to(item.due_at)
    review_once(item, right=True)
    item.refresh_from_db()
    clock.move_to(item.due_at)
    review_once(item, right=True, confidence="guessing")
    item.refresh_from_db()
    assert (item.step, item.due_at) == (0, timezone.now() + timedelta(days=1))


def test_an_item_not_yet_due_cannot_be_reviewed(section, learner, clock):
    answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    clock.move_to(item.due_at)
    review_once(item, right=True)
    from quizzes.checking import AnswerRefused

    with pytest.raises(AnswerRefused):
        review_once(item, right=True)


def test_reviews_never_change_quiz_scores(section, learner, clock):
    attempt = answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    clock.move_to(item.due_at)
    review_once(item, right=True)
    assert Attempt.objects.get(pk=attempt.pk).score == attempt.score == 80


# A different question on the same takeaway


def test_the_review_asks_a_question_other_than_the_one_last_missed(section, learner, clock):
    answer_quiz(learner, section, {2: (False, "sure")})
    item = item_for(learner, 1)
    asked = set()
    for _ in range(4):
        item.refresh_from_db()
        version = question_for(item)
        assert version.question_id != item.last_question_id
        assert version.question.takeaway_id == item.takeaway_id
        asked.add(version.prompt)
        clock.move_to(item.due_at)
        review_once(item, right=True)
    assert asked == {"T1 first?", "T1 third?"}


def test_with_a_single_question_on_the_takeaway_it_is_asked_again(course_of, learner, clock):
    (section,) = course_of(
        1, questions=[question_toml(takeaway=1, key="a"), question_toml(takeaway=2, key="b")]
    )
    answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    assert question_for(item).question_id == item.last_question_id


# Retained


def test_right_and_sure_in_the_quiz_without_a_miss_is_retained(section, learner):
    answer_quiz(learner, section, {4: (False, "sure")})
    assert item_for(learner, 1).retained
    assert not item_for(learner, 2).retained


def test_a_missed_takeaway_is_retained_only_after_the_seven_day_step(section, learner, clock):
    answer_quiz(learner, section, {1: (False, "")})
    item = item_for(learner, 1)
    retained_after_each_review = []
    for _ in range(3):
        clock.move_to(item.due_at)
        review_once(item, right=True)
        item.refresh_from_db()
        retained_after_each_review.append(item.retained)
    assert retained_after_each_review == [False, False, True]


def test_outline_and_my_progress_show_retained_share_and_reviews_due(client, section, clock):
    client.post(reverse("quizzes:start", args=[section.slug]))
    attempt = Attempt.objects.get()
    for position in range(1, 6):
        right = position != 4
        client.post(
            reverse("quizzes:question", args=[attempt.pk, position]),
            {"choice": choice_ids(attempt, position, correct=right)[:1], "confidence": "sure"},
        )
    assert "Retained 50%" in client.get(reverse("course:chapter", args=[1])).content.decode()
    html = client.get("/").content.decode()
    assert "Review" not in html.split("Course completion")[1].split("</section>")[0]
    clock.move_to(START + timedelta(days=1))
    html = client.get("/").content.decode()
    assert f'href="{reverse("quizzes:review")}">Review 1 due</a>' in html
    progress = client.get(reverse("quizzes:progress")).content.decode()
    assert "<td>50%</td>" in progress
    assert "Review 1 due today" in progress


# The Review page


def miss_first_question(client, section):
    client.post(reverse("quizzes:start", args=[section.slug]))
    attempt = Attempt.objects.get()
    client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": choice_ids(attempt, 1, correct=False)[:1]},
    )
    return attempt


def test_the_review_page_has_nothing_before_anything_is_due(client, section):
    miss_first_question(client, section)
    html = client.get(reverse("quizzes:review")).content.decode()
    assert "Nothing to review right now" in html
    assert "1 takeaway is scheduled; the next comes due on <time" in html
    assert ">Tuesday 3 March</time>" in html


def test_the_review_page_asks_a_due_takeaway_and_explains_the_answer(client, section, clock):
    miss_first_question(client, section)
    clock.move_to(START + timedelta(days=1))
    page = client.get(reverse("quizzes:review")).content.decode()
    assert "1 review due today" in page
    assert "T1 second?" in page
    item = ReviewItem.objects.get()
    question = question_for(item)
    right = question.choices.get(correct=True).pk
    response = client.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {
            "question_version": question.pk,
            "turn": item.reviews,
            "choice": [right],
            "confidence": "sure",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert "Right." in html
    assert "Because the lesson says so." in html
    assert ReviewItem.objects.get().step == 1
    assert "Nothing to review right now" in client.get(reverse("quizzes:review")).content.decode()


def menu_count(client):
    html = client.get(reverse("course:outline")).content.decode()
    return html.split('id="menu-review"', 1)[1].split("</a>", 1)[0]


def test_the_menus_review_count_follows_quiz_answers_and_reviews(client, section, clock):
    attempt = miss_first_question(client, section)
    assert "due" not in menu_count(client)
    clock.move_to(START + timedelta(days=1))
    assert "1 due" in menu_count(client)  # a new day: counted again
    item = ReviewItem.objects.get()
    other = attempt.answers.filter(question__takeaway=item.takeaway).exclude(position=1)[0]
    client.post(
        reverse("quizzes:question", args=[attempt.pk, other.position]),
        {"choice": choice_ids(attempt, other.position, correct=False)[:1]},
    )
    assert "due" not in menu_count(client)  # missed in the quiz again: due tomorrow now
    clock.move_to(START + timedelta(days=2))
    assert "1 due" in menu_count(client)
    item = ReviewItem.objects.get()
    question = question_for(item)
    client.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {
            "question_version": question.pk,
            "turn": item.reviews,
            "choice": choice_ids_of(question),
            "confidence": "sure",
        },
    )
    assert "due" not in menu_count(client)  # reviewed: due in three days


def choice_ids_of(version):
    return [choice.pk for choice in version.choices.all() if choice.correct]


def test_a_review_answer_without_javascript_redirects_to_its_result(client, section, clock):
    miss_first_question(client, section)
    clock.move_to(START + timedelta(days=1))
    item = ReviewItem.objects.get()
    question = question_for(item)
    response = client.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {"question_version": question.pk, "turn": 0, "choice": [question.choices.first().pk]},
    )
    answer_id = ReviewAnswer.objects.get().pk
    assert response["Location"] == reverse("quizzes:review_result", args=[answer_id])
    assert "Next review" in client.get(response["Location"]).content.decode()


def test_a_double_review_post_is_stored_once(client, section, clock):
    miss_first_question(client, section)
    clock.move_to(START + timedelta(days=1))
    item = ReviewItem.objects.get()
    question = question_for(item)
    data = {"question_version": question.pk, "turn": 0, "choice": [question.choices.first().pk]}
    client.post(reverse("quizzes:review_answer", args=[item.pk]), data)
    again = client.post(reverse("quizzes:review_answer", args=[item.pk]), data)
    assert again.status_code in (404, 409)
    assert ReviewAnswer.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"question_version": "x", "turn": 0},
        {"question_version": 999999, "turn": 0},
        {"turn": 0},
        {"question_version": "QUESTION", "turn": "v"},
    ],
    ids=["non-numeric-question", "unknown-question", "no-question", "bad-version"],
)
def test_bad_review_input_is_refused_and_writes_nothing(client, section, clock, data):
    miss_first_question(client, section)
    clock.move_to(START + timedelta(days=1))
    item = ReviewItem.objects.get()
    if data.get("question_version") == "QUESTION":
        data["question_version"] = question_for(item).pk
    response = client.post(reverse("quizzes:review_answer", args=[item.pk]), data)
    assert response.status_code == 400
    assert not ReviewAnswer.objects.exists()


def test_a_question_on_another_takeaway_is_refused(client, section, clock):
    miss_first_question(client, section)
    clock.move_to(START + timedelta(days=1))
    item = ReviewItem.objects.get()
    other = section.quiz.questions.get(position=4).current_version
    response = client.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {"question_version": other.pk, "turn": 0, "choice": [other.choices.first().pk]},
    )
    assert response.status_code == 400
    assert not ReviewAnswer.objects.exists()


def test_someone_elses_review_item_is_404(client, section, clock):
    miss_first_question(client, section)
    clock.move_to(START + timedelta(days=1))
    item = ReviewItem.objects.get()
    question = question_for(item)
    stranger = Client()
    response = stranger.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {"question_version": question.pk, "turn": 0, "choice": [question.choices.first().pk]},
    )
    assert response.status_code == 404
    assert not ReviewAnswer.objects.exists()


def test_the_anonymous_queue_moves_to_the_account_on_sign_up(client, section):
    miss_first_question(client, section)
    password = LEARNER_PASSWORD
    client.post(
        reverse("signup"), {"username": "ada", "password1": password, "password2": password}
    )
    item = ReviewItem.objects.get()
    assert item.learner.user == get_user_model().objects.get(username="ada")


def test_overlapping_queues_keep_one_item_per_takeaway(client, section, clock):
    password = LEARNER_PASSWORD
    get_user_model().objects.create_user("ada", password=password)
    account = Client()
    account.post(reverse("login"), {"username": "ada", "password": password})
    miss_first_question(account, section)
    clock.move_to(START + timedelta(hours=2))
    client.post(reverse("quizzes:start", args=[section.slug]))
    attempt = Attempt.objects.exclude(learner__user__username="ada").get()
    client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": choice_ids(attempt, 1, correct=False)[:1]},
    )
    client.post(reverse("login"), {"username": "ada", "password": password})
    item = ReviewItem.objects.get()
    assert item.learner.user.username == "ada"
    assert item.due_at == START + timedelta(days=1)


def test_a_takeaway_missed_in_the_account_is_not_retained_by_a_merge(client, section):
    password = LEARNER_PASSWORD
    get_user_model().objects.create_user("ada", password=password)
    account = Client()
    account.post(reverse("login"), {"username": "ada", "password": password})
    miss_first_question(account, section)
    client.post(reverse("quizzes:start", args=[section.slug]))
    attempt = Attempt.objects.exclude(learner__user__username="ada").get()
    client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": choice_ids(attempt, 1, correct=True), "confidence": "sure"},
    )
    client.post(reverse("login"), {"username": "ada", "password": password})
    item = ReviewItem.objects.get()
    assert (item.retained, item.ever_missed) == (False, True)
