import pytest

from quizzes.checking import AnswerRefused, is_right
from quizzes.models import Answer, Attempt, Learner
from quizzes.scoring import answer_question, finish_attempt, score_percent, start_attempt
from tests.support import choice_ids

pytestmark = pytest.mark.django_db


def test_a_single_question_is_right_only_with_the_correct_choice():
    assert is_right(correct_ids=[3], chosen_ids={3})
    assert not is_right(correct_ids=[3], chosen_ids={2})
    assert not is_right(correct_ids=[3], chosen_ids=set())


def test_a_select_all_question_is_right_only_with_exactly_the_correct_set():
    assert is_right(correct_ids=[1, 3], chosen_ids={1, 3})
    assert not is_right(correct_ids=[1, 3], chosen_ids={1})
    assert not is_right(correct_ids=[1, 3], chosen_ids={1, 2, 3})


def test_score_is_a_rounded_percent():
    assert score_percent(2, 3) == 67
    assert score_percent(0, 4) == 0
    assert score_percent(0, 0) == 0


@pytest.fixture
def attempt(small_course):
    return start_attempt(learner=Learner.objects.create(), quiz=small_course.quiz)


def test_starting_twice_resumes_the_same_attempt(attempt):
    again = start_attempt(learner=attempt.learner, quiz=attempt.quiz)
    assert again.pk == attempt.pk
    assert Attempt.objects.count() == 1


def test_an_attempt_has_one_open_response_per_question(attempt):
    assert list(attempt.answers.values_list("position", "answered_at")) == [
        (1, None),
        (2, None),
        (3, None),
        (4, None),
    ]


def test_answering_locks_and_scores_the_response(attempt):
    response = attempt.answers.get(position=1)
    answer_question(
        answer=response, raw_choice_ids=choice_ids(attempt, 1, correct=True), confidence="sure"
    )
    response.refresh_from_db()
    assert response.is_locked
    assert response.correct is True
    assert response.confidence == "sure"


def test_a_locked_answer_cannot_change(attempt):
    response = attempt.answers.get(position=1)
    answer_question(answer=response, raw_choice_ids=choice_ids(attempt, 1, correct=False)[:1])
    with pytest.raises(AnswerRefused) as refusal:
        answer_question(
            answer=Answer.objects.get(pk=response.pk),
            raw_choice_ids=choice_ids(attempt, 1, correct=True),
        )
    assert refusal.value.code == "already_answered"
    assert Answer.objects.get(pk=response.pk).correct is False


def test_a_stale_copy_of_the_response_cannot_lock_it_twice(attempt):
    """The lock is a conditional update: a copy read before the lock still fails."""
    first = attempt.answers.get(position=1)
    stale = attempt.answers.get(position=1)
    answer_question(answer=first, raw_choice_ids=choice_ids(attempt, 1, correct=True))
    with pytest.raises(AnswerRefused):
        answer_question(answer=stale, raw_choice_ids=choice_ids(attempt, 1, correct=False)[:1])
    assert list(stale.chosen.values_list("pk", flat=True)) == choice_ids(attempt, 1, correct=True)


def test_finishing_scores_against_the_pass_mark(attempt):
    for position in (1, 2):
        answer_question(
            answer=attempt.answers.get(position=position),
            raw_choice_ids=choice_ids(attempt, position, correct=True),
        )
    for position in (3, 4):
        answer_question(
            answer=attempt.answers.get(position=position),
            raw_choice_ids=choice_ids(attempt, position, correct=False)[:1],
        )
    finished = finish_attempt(attempt=attempt)
    assert (finished.correct_count, finished.score, finished.passed) == (2, 50, True)


def test_finishing_twice_keeps_the_first_score(attempt):
    for position in range(1, 5):
        answer_question(
            answer=attempt.answers.get(position=position),
            raw_choice_ids=choice_ids(attempt, position, correct=True),
        )
    first = finish_attempt(attempt=attempt)
    stale = Attempt.objects.get(pk=attempt.pk)
    stale.finished_at = None
    again = finish_attempt(attempt=stale)
    assert again.finished_at == first.finished_at
    assert again.score == 100


def test_an_attempt_with_open_questions_cannot_finish(attempt):
    with pytest.raises(AnswerRefused) as refusal:
        finish_attempt(attempt=attempt)
    assert refusal.value.code == "unanswered_questions"
    assert Attempt.objects.get(pk=attempt.pk).finished_at is None
