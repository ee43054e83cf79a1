"""The learner findings of the walk-through (issue 15): each as the learner met it."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt
from tests.builders import question_toml
from tests.support import answer_form, question_url

pytestmark = pytest.mark.django_db


def finish(client, attempt):
    client.post(reverse("quizzes:finish", args=[attempt.pk]))


# A passed quiz counts the lesson as read


def test_passing_the_quiz_counts_the_lesson_read_and_complete(
    client, course_of, start_quiz, answer_all
):
    first, second = course_of(2)
    finish(client, answer_all(start_quiz(first)))
    html = client.get("/").content.decode()
    assert "<strong>50%</strong>" in html
    assert f'href="{second.get_absolute_url()}">Continue: 1.2' in html
    assert (
        '<span class="badge badge-read">Read</span>'
        in client.get(reverse("course:chapter", args=[1])).content.decode()
    )


def test_the_outline_says_why_a_section_is_not_complete(client, course_of):
    first, _second = course_of(2)
    client.post(reverse("quizzes:lesson_complete", args=[first.slug]), {"complete": "1"})
    html = client.get(reverse("course:chapter", args=[1])).content.decode()
    assert "Not complete: Quiz not passed yet" in html


def test_a_lesson_without_a_quiz_is_complete_once_marked_read(client, tmp_path, db):
    from django.core.management import call_command

    from tests.builders import write_course

    call_command("import_content", str(write_course(tmp_path / "c", 1, with_quiz=False)))
    client.post(reverse("quizzes:lesson_complete", args=["section-1"]), {"complete": "0"})
    client.get(reverse("course:lesson", args=["section-1"]))
    client.post(reverse("quizzes:lesson_complete", args=["section-1"]), {"complete": "1"})
    html = client.get("/").content.decode()
    assert "<strong>100%</strong>" in html


def test_continue_opens_the_open_question_of_an_attempt_left_open(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    client.post(question_url(attempt, 1), answer_form(attempt, 1))
    html = client.get("/").content.decode()
    resume = reverse("quizzes:attempt", args=[attempt.pk])
    assert f'href="{resume}">Continue: 1.1 quiz' in html
    assert client.get(resume)["Location"] == question_url(attempt, 2)


# Retained counts only takeaways a question tests


def test_retained_counts_only_takeaways_with_a_question(client, course_of, start_quiz):
    (section,) = course_of(1, questions=[question_toml(prompt="Only?", takeaway=1)])
    attempt = start_quiz(section)
    client.post(question_url(attempt, 1), {**answer_form(attempt, 1), "confidence": "sure"})
    finish(client, attempt)
    assert Attempt.objects.get().passed
    html = client.get(reverse("course:chapter", args=[1])).content.decode()
    assert "Retained 100%" in html


# The question card


def test_check_with_no_answer_keeps_the_confidence_choice(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    response = client.post(question_url(attempt, 1), {"confidence": "sure"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="sure" id="confidence-sure" checked' in html
    assert 'value="guessing" id="confidence-guessing">' in html


def test_check_with_no_review_answer_keeps_the_confidence_choice(client, small_course, clock):
    from datetime import timedelta

    from quizzes.models import ReviewItem

    client.post(reverse("quizzes:start", args=[small_course.slug]))
    attempt = Attempt.objects.get()
    client.post(question_url(attempt, 1), answer_form(attempt, 1, right=False))
    clock.shift(timedelta(days=2))
    item = ReviewItem.objects.get()
    page = client.get(reverse("quizzes:review")).content.decode()
    version = page.split('name="question_version" value="')[1].split('"')[0]
    response = client.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {"question_version": version, "turn": item.reviews, "confidence": "guessing"},
    )
    assert 'value="guessing" id="confidence-guessing" checked' in response.content.decode()


def test_select_all_that_apply_is_not_said_twice(client, course_of, start_quiz):
    (section,) = course_of(
        1,
        questions=[
            question_toml(
                prompt="Which hold? Select all that apply.", kind="multiple", correct=(1, 2)
            ),
            question_toml(prompt="Which others?", kind="multiple", correct=(1, 2)),
        ],
    )
    attempt = start_quiz(section)
    said = client.get(question_url(attempt, 1)).content.decode()
    assert said.lower().count("select all that apply") == 1
    client.post(question_url(attempt, 1), answer_form(attempt, 1))
    not_said = client.get(question_url(attempt, 2)).content.decode()
    assert not_said.count("Select all that apply.") == 1


# Times, logging out, the account link


def test_my_progress_times_carry_their_zone(client, small_course, start_quiz, answer_all):
    finish(client, answer_all(start_quiz(small_course)))
    html = client.get(reverse("quizzes:progress")).content.decode()
    finished_at = Attempt.objects.get().finished_at
    assert f"{finished_at:%H:%M} UTC</time>" in html


def test_logging_out_says_so_on_the_page_it_lands_on(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("ada", password="x"))
    landed = client.post(reverse("logout"), follow=True).content.decode()
    assert "You are logged out." in landed
    assert "You are logged out." not in client.get("/").content.decode()


def test_the_account_link_says_what_it_opens(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("ada", password="x"))
    html = client.get("/").content.decode()
    assert f'<a href="{reverse("password_change")}">Change password</a>' in html


# The results page


def test_results_can_show_only_what_was_missed(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    for position in range(1, 5):
        form = answer_form(attempt, position, right=position != 2)
        client.post(question_url(attempt, position), form)
    finish(client, attempt)
    url = reverse("quizzes:results", args=[attempt.pk])
    every = client.get(url).content.decode()
    assert every.count('class="review-verdict"') == 4
    assert 'href="?show=missed#answers">Show only the 1 question you missed' in every
    missed = client.get(url, {"show": "missed"}).content.decode()
    assert missed.count('class="review-verdict"') == 1
    assert "Question 2: wrong" in missed


def test_results_lead_to_the_next_section_or_back_to_the_outline(
    client, course_of, start_quiz, answer_all
):
    first, second = course_of(2)
    attempt = answer_all(start_quiz(first))
    finish(client, attempt)
    html = client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
    assert f'href="{second.get_absolute_url()}">Next section: 1.2' in html
    last = answer_all(start_quiz(second))
    finish(client, last)
    html = client.get(reverse("quizzes:results", args=[last.pk])).content.decode()
    assert 'href="/">Back to the course outline</a>' in html


# Review in the site menu, and its count inside the card


def test_review_is_in_the_site_menu_with_its_due_count(client, small_course, clock):
    from datetime import timedelta

    assert (
        '<a id="menu-review" href="/review/">Review</a>'
        in client.get("/progress/").content.decode()
    )
    client.post(reverse("quizzes:start", args=[small_course.slug]))
    attempt = Attempt.objects.get()
    client.post(question_url(attempt, 1), answer_form(attempt, 1, right=False))
    clock.shift(timedelta(days=2))
    html = client.get("/progress/").content.decode()
    assert '<a id="menu-review" href="/review/">Review <span class="badge">1 due</span></a>' in html


def test_the_due_count_is_inside_the_card_htmx_swaps(client, small_course, clock):
    from datetime import timedelta

    client.post(reverse("quizzes:start", args=[small_course.slug]))
    attempt = Attempt.objects.get()
    client.post(question_url(attempt, 1), answer_form(attempt, 1, right=False))
    clock.shift(timedelta(days=2))
    html = client.get(reverse("quizzes:review")).content.decode()
    card = html.split('id="question-card"')[1]
    assert "1 review due today" in card


def test_the_lessons_quiz_box_offers_to_resume_an_open_attempt(client, small_course):
    client.post(reverse("quizzes:start", args=[small_course.slug]))
    attempt = Attempt.objects.get()
    page = client.get(small_course.get_absolute_url()).content.decode()
    assert "Resume the quiz" in page
    assert reverse("quizzes:attempt", args=[attempt.pk]) in page
    assert "Take the quiz" not in page


def test_the_lessons_quiz_box_shows_the_best_score_and_passed(
    client, small_course, start_quiz, answer_all
):
    attempt = answer_all(start_quiz(small_course), right=True)
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    page = client.get(small_course.get_absolute_url()).content.decode()
    assert "Best score 100%" in page
    assert "Passed" in page
    assert "Review or retake the quiz" in page


def test_the_quiz_box_of_another_learner_is_not_cached_for_a_visitor(client, small_course):
    client.post(reverse("quizzes:start", args=[small_course.slug]))
    visitor = Client()
    page = visitor.get(small_course.get_absolute_url()).content.decode()
    assert "Take the quiz" in page
    assert "Resume the quiz" not in page


def test_a_lesson_read_by_passing_its_quiz_says_so_instead_of_asking_to_mark_it(
    client, small_course, start_quiz, answer_all
):
    attempt = answer_all(start_quiz(small_course), right=True)
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    page = client.get(small_course.get_absolute_url()).content.decode()
    assert "Counted as read: you passed this lesson's quiz." in page
    assert "Mark lesson complete" not in page
