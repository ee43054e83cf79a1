"""Match and order questions in a real browser: with the keyboard alone on a phone-wide
screen, axe-core clean, and with JavaScript turned off."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.test_accessibility import serious_violations
from tests.builders import match_question_toml, order_question_toml, write_course
from tests.support import has_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_match_and_order(transactional_db, live_server, tmp_path):
    """A course whose quiz is a match question, then an order question."""
    folder = write_course(
        tmp_path / "content", questions=[match_question_toml(), order_question_toml()]
    )
    call_command("import_content", str(folder), verbosity=0)
    return live_server.url + "/sections/section-1/quiz/"


def tab_to(page, predicate, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Tab never reached: {predicate}")


def focused_label(page):
    return page.evaluate("document.activeElement.labels[0].textContent.trim()")


def check_accessibility(page, name, problems):
    problems.extend(f"{name}: {violation}" for violation in serious_violations(page))
    if not has_no_horizontal_scroll(page):
        problems.append(f"{name}: scrolls sideways")
    screenshot(page, f"{name}-360")


def test_match_and_order_questions_with_the_keyboard_alone_at_360_px(
    page, live_match_and_order, csp_violations
):
    page.set_viewport_size({"width": 360, "height": 800})
    problems = []
    page.goto(live_match_and_order)
    tab_to(page, "document.activeElement.textContent.trim() === 'Start the quiz'")
    page.keyboard.press("Enter")
    expect(page.locator("#question-card .progress-line")).to_contain_text("Question 1")
    check_accessibility(page, "match-question", problems)
    # Each prompt's select, by keyboard: the options are batch, real-time, embedded.
    right_option = {"Situation 1": "Option batch", "Situation 2": "Option real-time"}
    for _ in right_option:
        tab_to(page, "document.activeElement.tagName === 'SELECT'")
        situation = focused_label(page)
        page.keyboard.type(right_option[situation])
    tab_to(page, "document.activeElement.textContent.trim() === 'Check'")
    page.keyboard.press("Enter")
    card = page.locator("#question-card")
    expect(card.locator(".verdict")).to_contain_text("Right.")
    expect(card).to_contain_text("2 of 2 pairs right")
    expect(card).to_be_focused()
    check_accessibility(page, "match-result", problems)
    tab_to(page, "document.activeElement.textContent.trim() === 'Next question'")
    page.keyboard.press("Enter")
    expect(card.locator(".progress-line")).to_contain_text("Question 2")
    expect(card).to_be_focused()
    check_accessibility(page, "order-question", problems)
    # Each item's place, by keyboard: "Step 3" belongs at place 3.
    for _ in range(4):
        tab_to(page, "document.activeElement.tagName === 'SELECT'")
        step = re.search(r"\d+", focused_label(page)).group()
        page.keyboard.type(step)
    tab_to(page, "document.activeElement.textContent.trim() === 'Check'")
    page.keyboard.press("Enter")
    expect(card).to_contain_text("4 of 4 items in place")
    expect(card).to_be_focused()
    check_accessibility(page, "order-result", problems)
    tab_to(page, "document.activeElement.textContent.trim() === 'See your results'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Every question")).to_be_visible()
    assert Attempt.objects.get().score == 100
    assert problems == []
    assert csp_violations == []


def test_match_and_order_questions_without_javascript(browser, live_match_and_order):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_match_and_order)
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Situation 1").select_option(label="Option real-time")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".form-error")).to_contain_text("Choose an option for every prompt")
    expect(page.get_by_label("Situation 1")).to_have_value(
        page.get_by_label("Situation 1").locator("option", has_text="Option real-time")
        .get_attribute("value")
    )  # fmt: skip
    page.get_by_label("Situation 2").select_option(label="Option batch")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".verdict")).to_contain_text("Not quite.")
    expect(page.locator("#question-card")).to_contain_text("0 of 2 pairs right")
    page.get_by_role("link", name="Next question").click()
    for place in range(1, 5):
        page.get_by_label(f"Step {place}", exact=True).select_option(str(5 - place))
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#question-card")).to_contain_text("0 of 4 items in place")
    expect(page.get_by_role("heading", name="The right order")).to_be_visible()
    page.get_by_role("button", name="See your results").click()
    expect(page.get_by_role("heading", name="Every question")).to_be_visible()
    assert Attempt.objects.get().score == 0
    context.close()
