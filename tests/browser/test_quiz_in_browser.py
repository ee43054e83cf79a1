import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz
from tests.support import (
    has_no_horizontal_scroll,
    right_choice_texts,
    screenshot,
    take_quiz_in_browser,
)

pytestmark = pytest.mark.browser


def test_a_learner_takes_the_whole_quiz_with_htmx(page, live_course, csp_violations):
    page.set_viewport_size({"width": 360, "height": 800})
    take_quiz_in_browser(page, live_course, with_htmx=True)
    assert has_no_horizontal_scroll(page)
    screenshot(page, "results-360")
    assert csp_violations == []


def test_a_learner_takes_the_whole_quiz_without_javascript(browser, live_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    attempt = take_quiz_in_browser(page, live_course, with_htmx=False)
    attempt.refresh_from_db()
    assert attempt.score == 100
    assert attempt.answers.filter(confidence="sure").count() == attempt.question_count
    context.close()


def test_a_wrong_answer_is_explained_and_retake_starts_over(page, live_course):
    Quiz.objects.update(shuffle=False)  # question 1 first: a choice question
    page.goto(live_course + "/sections/inference-patterns/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    attempt = Attempt.objects.get()
    right = right_choice_texts(attempt, 1)
    question = attempt.answers.get(position=1).question
    wrong = question.choices.exclude(text__in=right).first()
    page.get_by_label(wrong.text, exact=True).check()
    page.get_by_role("button", name="Check").click()
    card = page.locator("#question-card")
    expect(card.locator(".verdict")).to_contain_text("Not quite.")
    expect(card.locator(".is-chosen .feedback")).to_be_visible()
    for text in right:  # one right choice, or several on a select-all question
        expect(card.locator(".is-correct").filter(has_text=text)).to_be_visible()
    expect(card.get_by_role("link", name="Read this part of the lesson")).to_have_attribute(
        "href", re.compile(rf"#{question.heading_id}$")
    )


def test_pressing_check_with_nothing_chosen_says_what_to_do(page, live_course):
    Quiz.objects.update(shuffle=False)  # question 1 first: a choice question
    page.goto(live_course + "/sections/inference-patterns/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("alert").filter(has_text="Choose an answer")).to_be_visible()
