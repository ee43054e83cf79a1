import pytest
from django.urls import reverse

from quizzes.analysis import question_results, quiz_result
from quizzes.models import Learner
from quizzes.scoring import answer_question, start_attempt
from quizzes.versions import record_versions
from tests.support import take_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(small_course):
    """The small course's quiz (pass mark 50%), taken by five learners.

    Right answers: Q1 choice 1, Q2 choice 2, Q3 choices 1 and 3 (select all), Q4 choice 3.
    """
    quiz = small_course.quiz
    take_quiz(quiz, {1: [1], 2: [2], 3: [1, 3], 4: [3]})  # 100%, passed
    take_quiz(quiz, {1: [2], 2: [2], 3: [1, 2], 4: [1]})  # 25%
    take_quiz(quiz, {1: [2], 2: [1], 3: [1, 3], 4: [3]})  # 50%, passed
    take_quiz(quiz, {1: [3], 2: [2], 3: [1, 3], 4: [3]})  # 75%, passed
    take_quiz(quiz, {1: [2]}, finished=False)  # one answer, attempt not finished
    return quiz


def test_each_question_counts_its_answers_and_the_share_answered_right(quiz):
    results = question_results(quiz)
    assert [(r.position, r.answers, r.right, r.right_percent) for r in results] == [
        (1, 5, 1, 20),
        (2, 4, 3, 75),
        (3, 4, 3, 75),
        (4, 4, 3, 75),
    ]


def test_each_question_names_the_wrong_choice_picked_most_with_its_share(quiz):
    results = question_results(quiz)
    assert [(r.top_wrong_choice, r.top_wrong_picks, r.top_wrong_percent) for r in results] == [
        ("Choice 2", 3, 60),
        ("Choice 1", 1, 25),
        ("Choice 2", 1, 25),
        ("Choice 1", 1, 25),
    ]


def test_a_question_nobody_got_wrong_has_no_wrong_choice(small_course):
    take_quiz(small_course.quiz, {1: [1], 2: [2], 3: [1, 3], 4: [3]})
    first = question_results(small_course.quiz)[0]
    assert (first.answers, first.right_percent, first.top_wrong_choice) == (1, 100, None)


def test_the_quiz_counts_finished_attempts_pass_rate_and_median_score(quiz):
    result = quiz_result(quiz)
    assert (result.attempts, result.passed, result.pass_rate) == (4, 3, 75)
    assert result.median_score == 62.5  # scores 25, 50, 75, 100


def test_the_median_of_an_odd_number_of_attempts_is_the_middle_score(small_course):
    all_right = {1: [1], 2: [2], 3: [1, 3], 4: [3]}
    all_wrong = {1: [2], 2: [1], 3: [2], 4: [1]}
    one_right = {1: [1], 2: [1], 3: [2], 4: [1]}
    for picks in [all_right, all_wrong, one_right]:
        take_quiz(small_course.quiz, picks)
    assert quiz_result(small_course.quiz).median_score == 25  # scores 0, 25, 100


def test_a_quiz_nobody_took_has_no_rates(small_course):
    result = quiz_result(small_course.quiz)
    assert (result.attempts, result.pass_rate, result.median_score) == (0, None, None)
    assert {r.right_percent for r in question_results(small_course.quiz)} == {None}


def test_the_quiz_admin_page_shows_the_item_analysis(instructor_client, quiz):
    html = instructor_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content
    html = html.decode()
    assert "4 finished attempts: 75% passed; median score 62.5%." in html
    assert "<td>Choice 2</td>" in html
    assert "<td>60%</td>" in html


def test_the_quiz_list_shows_attempts_and_pass_rate(instructor_client, quiz):
    html = instructor_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    assert '<td class="field-attempts">4</td>' in html
    assert '<td class="field-pass_rate">75%</td>' in html


def test_each_question_shows_the_share_of_sure_answers_that_were_wrong(small_course):
    quiz = small_course.quiz
    for choice_position, confidence in [(1, "sure"), (2, "sure"), (2, "sure"), (2, "guessing")]:
        attempt = start_attempt(learner=Learner.objects.create(), quiz=quiz)
        response = attempt.answers.select_related("question", "version").get(position=1)
        choice = response.version.choices.get(position=choice_position)
        answer_question(answer=response, raw_choice_ids=[choice.pk], confidence=confidence)
    first = question_results(quiz)[0]
    assert (first.sure, first.sure_wrong, first.sure_wrong_percent) == (3, 2, 67)


def test_the_item_analysis_shows_each_prompt_as_learners_read_it(instructor_client, small_course):
    question = small_course.quiz.questions.get(position=1)
    question.prompt = "Q&A: is *this* `<img src=x>` right?"
    question.save()
    record_versions([question])
    url = reverse("admin:quizzes_quiz_change", args=[small_course.quiz.pk])
    html = instructor_client.get(url).content.decode()
    analysis = html.split('class="item-analysis"')[1]
    # Escaped exactly once: the page shows "Q&A" and "<img src=x>", not entities.
    assert "Q&amp;A: is this &lt;img src=x&gt; right?" in analysis
    assert "&amp;amp;" not in analysis
    assert "&amp;lt;" not in analysis
