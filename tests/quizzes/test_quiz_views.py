import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Answer, Attempt
from tests.html import choice_values
from tests.support import HTMX, choice_ids, question_url

pytestmark = pytest.mark.django_db


def quiz_url(section):
    return reverse("quizzes:quiz", args=[section.slug])


def results_url(attempt):
    return reverse("quizzes:results", args=[attempt.pk])


def finish_url(attempt):
    return reverse("quizzes:finish", args=[attempt.pk])


def leaked_secrets(quiz, body):
    """Texts that must not appear before an answer is locked."""
    secrets = []
    for question in quiz.questions.prefetch_related("choices", "pairs"):
        secrets.append(question.explanation_html)
        secrets += [choice.feedback_html for choice in question.choices.all()]
        secrets += [pair.feedback_html for pair in question.pairs.all()]
    return [secret for secret in secrets if secret and secret in body]


# Taking the quiz


def test_quiz_page_offers_to_start(client, small_course):
    html = client.get(quiz_url(small_course)).content.decode()
    assert "4 scenario questions" in html
    assert "Start the quiz" in html


def test_starting_redirects_to_the_first_question(client, small_course):
    response = client.post(reverse("quizzes:start", args=[small_course.slug]), follow=True)
    attempt = Attempt.objects.get()
    assert response.redirect_chain[-1][0] == question_url(attempt, 1)
    assert "Question 1 of 4" in response.content.decode()


def test_a_right_answer_is_marked_right_with_feedback_explanation_and_lesson_link(
    client, small_course, start_quiz
):
    attempt = start_quiz(small_course)
    response = client.post(
        question_url(attempt, 1), {"choice": choice_ids(attempt, 1, correct=True)}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Right." in html
    assert "Correct answer" in html
    assert "Feedback for choice 1." in html
    assert "Because the lesson says so." in html
    assert f'href="{small_course.get_absolute_url()}#overview"' in html


def test_a_wrong_answer_shows_the_right_choice_and_the_chosen_feedback(
    client, small_course, start_quiz
):
    attempt = start_quiz(small_course)
    wrong = choice_ids(attempt, 1, correct=False)[0]
    html = client.post(question_url(attempt, 1), {"choice": [wrong]}, **HTMX).content.decode()
    assert "Not quite." in html
    assert "Your answer" in html
    assert "Correct answer" in html
    position = Answer.objects.get(attempt=attempt, position=1).chosen.get().position
    assert f"Feedback for choice {position}." in html


def test_htmx_gets_the_card_fragment_and_a_plain_post_redirects_to_the_full_page(
    client, small_course, start_quiz
):
    attempt = start_quiz(small_course)
    fragment = client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]}, **HTMX)
    assert fragment.content.decode().lstrip().startswith('<section id="question-card"')
    plain = client.post(question_url(attempt, 2), {"choice": choice_ids(attempt, 2)[:1]})
    assert plain.status_code == 302
    assert plain["Location"] == question_url(attempt, 2)
    page = client.get(plain["Location"]).content.decode()
    assert page.startswith("<!doctype html>")
    assert "Question 2 of 4" in page


def test_the_whole_quiz_ends_with_a_score_and_every_explanation(
    client, small_course, start_quiz, answer_all
):
    attempt = answer_all(start_quiz(small_course))
    response = client.post(finish_url(attempt))
    assert response["Location"] == results_url(attempt)
    html = client.get(results_url(attempt)).content.decode()
    assert "Your score: 100%" in html
    assert "Passed" in html
    assert html.count("Because the lesson says so.") == 4


def test_a_failed_attempt_says_not_passed(client, small_course, start_quiz, answer_all):
    attempt = answer_all(start_quiz(small_course), right=False)
    client.post(finish_url(attempt))
    html = client.get(results_url(attempt)).content.decode()
    assert "Your score: 0%" in html
    assert "Not passed yet" in html


def test_retake_starts_a_new_attempt_and_keeps_best_and_latest(
    client, small_course, start_quiz, answer_all
):
    first = answer_all(start_quiz(small_course))
    client.post(finish_url(first))
    second = answer_all(start_quiz(small_course), right=False)
    client.post(finish_url(second))
    assert second.pk != first.pk
    html = client.get(quiz_url(small_course)).content.decode()
    assert "Best score</dt><dd>100%" in html
    assert "Latest score</dt><dd>0%" in html
    assert "Retake the quiz" in html


def test_select_all_counts_only_the_exact_set(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    right = choice_ids(attempt, 3, correct=True)
    client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]})
    client.post(question_url(attempt, 2), {"choice": choice_ids(attempt, 2)[:1]})
    client.post(question_url(attempt, 3), {"choice": right[:1]})
    assert Answer.objects.get(attempt=attempt, position=3).correct is False


# Resume, reload and back


def test_leaving_and_coming_back_resumes_at_the_next_unanswered_question(
    client, small_course, start_quiz
):
    attempt = start_quiz(small_course)
    client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]})
    assert "Resume your attempt" in client.get(quiz_url(small_course)).content.decode()
    resumed = start_quiz(small_course)
    assert resumed.pk == attempt.pk
    response = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response["Location"] == question_url(attempt, 2)


def test_skipping_ahead_redirects_to_the_first_open_question(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    assert client.get(question_url(attempt, 3))["Location"] == question_url(attempt, 1)


def test_a_double_post_of_the_same_answer_stores_one_response(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    data = {"choice": choice_ids(attempt, 1, correct=True)}
    client.post(question_url(attempt, 1), data)
    second = client.post(
        question_url(attempt, 1), {"choice": choice_ids(attempt, 1, correct=False)[:1]}
    )
    assert second.status_code == 409
    assert "already answered" in second.content.decode()
    response = Answer.objects.get(attempt=attempt, position=1)
    assert response.correct is True
    assert response.chosen.count() == 1


def test_reloading_a_locked_question_shows_the_result_and_writes_nothing(
    client, small_course, start_quiz
):
    attempt = start_quiz(small_course)
    client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1, correct=True)})
    before = list(Answer.objects.values_list("pk", "answered_at", "correct"))
    for _ in range(2):
        assert "Right." in client.get(question_url(attempt, 1)).content.decode()
    assert list(Answer.objects.values_list("pk", "answered_at", "correct")) == before


def test_choices_keep_their_shuffled_order_within_an_attempt(client, seed_course, start_quiz):
    attempt = start_quiz(seed_course)
    first = choice_values(client.get(question_url(attempt, 1)).content.decode())
    again = choice_values(client.get(question_url(attempt, 1)).content.decode())
    assert first == again == attempt.choice_order[str(attempt.answers.get(position=1).question_id)]


def test_shuffled_attempts_differ_in_choice_order(seed_course):
    from quizzes.models import Learner
    from quizzes.scoring import start_attempt

    orders = {
        tuple(
            map(
                tuple,
                start_attempt(
                    learner=Learner.objects.create(), quiz=seed_course.quiz
                ).choice_order.values(),
            )
        )
        for _ in range(8)
    }
    assert len(orders) > 1


# Nothing leaks before the lock


def test_no_response_before_the_lock_reveals_answers_feedback_or_explanation(
    client, seed_course, start_quiz
):
    quiz = seed_course.quiz
    bodies = [client.get(quiz_url(seed_course))]
    attempt = start_quiz(seed_course)
    for position in range(1, attempt.question_count + 1):
        url = question_url(attempt, position)
        before = [
            client.get(url),
            client.get(url, **HTMX),
            client.post(url, {}, **HTMX),
            client.post(url, {}),
        ]
        for response in before + bodies:
            body = response.content.decode() + str(response.headers)
            assert leaked_secrets(quiz, body) == [], (position, response.status_code)
            assert "is-correct" not in body
            assert "Correct answer" not in body
        bodies = []
        client.post(url, {"choice": choice_ids(attempt, position)[:1]})


def test_quiz_pages_are_not_stored_by_caches(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    for url in [quiz_url(small_course), question_url(attempt, 1)]:
        assert "no-store" in client.get(url)["Cache-Control"]


def test_get_requests_change_nothing(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    client.get(quiz_url(small_course))
    client.get(question_url(attempt, 1))
    client.get(reverse("quizzes:start", args=[small_course.slug]))
    assert Attempt.objects.count() == 1
    assert not Answer.objects.filter(answered_at__isnull=False).exists()


# Bad input: a clear 4xx and nothing written


def assert_nothing_answered(attempt):
    assert not Answer.objects.filter(attempt=attempt, answered_at__isnull=False).exists()


def test_no_choice_gets_a_message_on_the_card(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    response = client.post(question_url(attempt, 1), {}, **HTMX)
    assert response.status_code == 422
    assert "Choose an answer before you press Check." in response.content.decode()
    assert_nothing_answered(attempt)


@pytest.mark.parametrize(
    "values",
    [["abc"], ["99999"], ["1.5"], [""], ["-1"]],
    ids=["non-numeric", "unknown", "float", "empty", "negative"],
)
def test_a_bad_choice_id_is_refused(client, small_course, start_quiz, values):
    attempt = start_quiz(small_course)
    response = client.post(question_url(attempt, 1), {"choice": values})
    assert response.status_code == 400
    assert "not one of the choices of this question" in response.content.decode()
    assert_nothing_answered(attempt)


def test_a_choice_of_another_question_is_refused(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    response = client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 2)[:1]})
    assert response.status_code == 400
    assert_nothing_answered(attempt)


def test_a_choice_of_another_quiz_is_refused(client, course_of, start_quiz):
    first, second = course_of(2)
    attempt = start_quiz(first)
    other = second.quiz.questions.first().choices.first().pk
    assert client.post(question_url(attempt, 1), {"choice": [other]}).status_code == 400
    assert_nothing_answered(attempt)


def test_two_choices_on_a_single_answer_question_are_refused(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    response = client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:2]})
    assert response.status_code == 400
    assert "one answer only" in response.content.decode()
    assert_nothing_answered(attempt)


def test_answering_a_finished_attempt_is_refused(client, small_course, start_quiz, answer_all):
    attempt = answer_all(start_quiz(small_course))
    client.post(finish_url(attempt))
    Answer.objects.filter(attempt=attempt, position=1).update(answered_at=None)
    response = client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]})
    assert response.status_code == 409
    assert Answer.objects.get(attempt=attempt, position=1).answered_at is None


def test_finishing_with_open_questions_is_refused(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    response = client.post(finish_url(attempt))
    assert response.status_code == 409
    assert "Answer every question" in response.content.decode()
    assert Attempt.objects.get().finished_at is None


def test_someone_elses_attempt_is_404(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    stranger = Client()
    assert stranger.get(question_url(attempt, 1)).status_code == 404
    assert (
        stranger.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]}).status_code
        == 404
    )
    assert stranger.post(finish_url(attempt)).status_code == 404
    assert stranger.get(results_url(attempt)).status_code == 404
    assert_nothing_answered(attempt)


def test_a_question_number_outside_the_attempt_is_404(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    assert client.get(question_url(attempt, 99)).status_code == 404


def test_the_quiz_of_an_unpublished_section_is_404(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    type(small_course).objects.filter(pk=small_course.pk).update(published=False)
    assert client.get(quiz_url(small_course)).status_code == 404
    assert client.post(reverse("quizzes:start", args=[small_course.slug])).status_code == 404
    assert (
        client.post(question_url(attempt, 1), {"choice": choice_ids(attempt, 1)[:1]}).status_code
        == 404
    )
    assert_nothing_answered(attempt)


def test_wrong_methods_are_refused(client, small_course, start_quiz):
    attempt = start_quiz(small_course)
    assert client.get(finish_url(attempt)).status_code == 405
    assert client.put(question_url(attempt, 1)).status_code == 405
    assert client.post(quiz_url(small_course)).status_code == 405
