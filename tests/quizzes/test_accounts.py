import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Learner, LessonCompletion
from tests.support import LEARNER_PASSWORD, choice_ids, question_url

pytestmark = pytest.mark.django_db


def sign_up(client, username="ada", password=LEARNER_PASSWORD, email=""):
    return client.post(
        reverse("signup"),
        {"username": username, "email": email, "password1": password, "password2": password},
    )


def log_in(client, username="ada", password=LEARNER_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def mark_read(client, section):
    return client.post(reverse("quizzes:lesson_complete", args=[section.slug]), {"complete": "1"})


def user_learner(username="ada"):
    return Learner.objects.get(user__username=username)


# Accounts


def test_sign_up_creates_an_account_and_logs_in(client, db):
    response = sign_up(client, email="ada@example.org")
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ada")
    assert user.email == "ada@example.org"
    assert client.get(reverse("quizzes:progress")).context["user"] == user


def test_sign_up_checks_the_password_with_djangos_validators(client, db):
    response = sign_up(client, password="password")
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.exists()


def test_sign_up_needs_a_free_username(client, db):
    get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    assert "already exists" in sign_up(client).content.decode()


def test_sign_up_ignores_an_offsite_next(client, db):
    response = client.post(
        reverse("signup") + "?next=https://evil.example/",
        {"username": "ada", "password1": LEARNER_PASSWORD, "password2": LEARNER_PASSWORD},
    )
    assert response["Location"] == "/progress/"


def test_log_out_by_get_does_nothing(client, db):
    sign_up(client)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("quizzes:progress")).context["user"].is_authenticated


def test_log_out_by_post_logs_out(client, db):
    sign_up(client)
    client.post(reverse("logout"))
    assert not client.get(reverse("quizzes:progress")).context["user"].is_authenticated


def test_password_reset_sends_a_mail_with_a_working_link(client, db):
    get_user_model().objects.create_user("ada", email="ada@example.org", password=LEARNER_PASSWORD)
    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    page = client.get(link, follow=True)
    assert "Set a new password" in page.content.decode()


def test_account_pages_use_the_site_layout(client, db):
    for name in ["login", "signup", "password_reset"]:
        html = client.get(reverse(name)).content.decode()
        assert 'class="site-header"' in html
        assert "Django administration" not in html


# Moving session progress to the account


def test_anonymous_progress_moves_to_the_new_account(client, small_course, start_quiz, answer_all):
    mark_read(client, small_course)
    attempt = answer_all(start_quiz(small_course))
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    sign_up(client)
    learner = user_learner()
    assert LessonCompletion.objects.filter(learner=learner, section=small_course).exists()
    assert Attempt.objects.get(pk=attempt.pk).learner == learner
    assert Learner.objects.count() == 1


def test_a_lesson_read_in_both_stays_one_row(client, small_course):
    get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    other = Client()
    log_in(other)
    mark_read(other, small_course)
    mark_read(client, small_course)
    log_in(client)
    assert LessonCompletion.objects.filter(section=small_course).count() == 1
    assert LessonCompletion.objects.get().learner == user_learner()


def test_attempts_of_both_keep_their_history_and_the_best_score_wins(
    client, small_course, start_quiz, answer_all
):
    get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    account_browser = Client()
    log_in(account_browser)
    low = answer_all(
        start_quiz(small_course, using=account_browser), right=False, using=account_browser
    )
    account_browser.post(reverse("quizzes:finish", args=[low.pk]))
    high = answer_all(start_quiz(small_course))
    client.post(reverse("quizzes:finish", args=[high.pk]))
    log_in(client)
    learner = user_learner()
    assert set(learner.attempts.values_list("score", flat=True)) == {0, 100}
    html = client.get(reverse("quizzes:progress")).content.decode()
    assert "<td>100%</td>" in html


def test_an_open_attempt_in_both_keeps_the_one_in_use(client, small_course, start_quiz):
    get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    account_browser = Client()
    log_in(account_browser)
    old = start_quiz(small_course, using=account_browser)
    current = start_quiz(small_course)
    client.post(question_url(current, 1), {"choice": choice_ids(current, 1)[:1]})
    log_in(client)
    assert Attempt.objects.get(pk=old.pk).abandoned
    resumed = start_quiz(small_course)
    assert resumed.pk == current.pk
    assert resumed.learner == user_learner()


def test_logging_in_on_a_second_browser_sees_the_same_progress(client, small_course):
    sign_up(client)
    mark_read(client, small_course)
    second = Client()
    log_in(second)
    html = second.get(reverse("quizzes:progress")).content.decode()
    assert "<td>Yes</td>" in html


# Privacy


def test_another_learners_attempt_review_is_404(client, small_course, start_quiz, answer_all):
    attempt = answer_all(start_quiz(small_course))
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    sign_up(Client(), username="eve")
    eve = Client()
    log_in(eve, username="eve")
    assert eve.get(reverse("quizzes:results", args=[attempt.pk])).status_code == 404
    assert eve.get(question_url(attempt, 1)).status_code == 404


def test_an_anonymous_visitor_cannot_reach_another_sessions_attempt(
    client, small_course, start_quiz
):
    attempt = start_quiz(small_course)
    stranger = Client()
    stranger.post(reverse("quizzes:start", args=[small_course.slug]))
    assert stranger.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404


def test_my_progress_shows_only_my_own_attempts(client, small_course, start_quiz, answer_all):
    other = Client()
    theirs = answer_all(start_quiz(small_course, using=other), using=other)
    other.post(reverse("quizzes:finish", args=[theirs.pk]))
    html = client.get(reverse("quizzes:progress")).content.decode()
    assert reverse("quizzes:results", args=[theirs.pk]) not in html
    assert "No finished quiz attempts yet." in html


def test_a_session_pointing_at_an_account_learner_is_not_used(client, small_course):
    user = get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    account_learner = Learner.objects.create(user=user)
    session = client.session
    session["learner_id"] = account_learner.pk
    session.save()
    mark_read(client, small_course)
    assert not LessonCompletion.objects.filter(learner=account_learner).exists()


def test_a_learner_can_change_their_password(client, db):
    sign_up(client)
    new = "another-long-passphrase-77"
    response = client.post(
        reverse("password_change"),
        {"old_password": LEARNER_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("password_change_done")
    assert get_user_model().objects.get(username="ada").check_password(new)


def test_form_errors_are_summed_up_first_and_focused(client, db):
    html = sign_up(client, password="password").content.decode()
    summary = html.index('class="error-summary" role="alert" tabindex="-1" autofocus')
    assert summary < html.index('name="username"')
    assert "Password confirmation: This password is too common." in html


def test_an_abandoned_attempt_sends_the_learner_back_to_the_quiz(client, small_course, start_quiz):
    get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    account_browser = Client()
    log_in(account_browser)
    old = start_quiz(small_course, using=account_browser)
    start_quiz(small_course)
    log_in(client)
    response = account_browser.get(reverse("quizzes:attempt", args=[old.pk]))
    assert response["Location"] == small_course.quiz.get_absolute_url()
