from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from quizzes.models import Attempt, ReviewItem
from tests.support import START, screenshot

pytestmark = pytest.mark.browser


def test_a_missed_takeaway_comes_back_a_day_later_with_another_question(
    page, live_course, csp_violations
):
    with time_machine.travel(START, tick=True) as clock:
        page.goto(live_course + "/sections/inference-patterns/quiz/")
        page.get_by_role("button", name="Start the quiz").click()
        attempt = Attempt.objects.get()
        missed = attempt.answers.get(position=1).question
        wrong = missed.choices.filter(correct=False).first()
        page.get_by_label(wrong.text, exact=True).check()
        page.get_by_label("I'm sure").check()
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#question-card .verdict")).to_contain_text("Not quite.")

        page.goto(live_course + "/")
        expect(page.get_by_role("link", name="Review 1 due")).to_have_count(0)

        clock.move_to(START + timedelta(days=1))
        page.goto(live_course + "/")
        menu = page.get_by_role("navigation", name="Site")
        expect(menu.get_by_role("link", name="Review 1 due")).to_be_visible()
        page.locator("#main").get_by_role("link", name="Review 1 due").click()
        expect(page.get_by_text("1 review due today")).to_be_visible()
        item = ReviewItem.objects.get()
        assert item.last_question_id == missed.pk
        prompt = page.locator("#question-prompt").inner_text()
        assert prompt.strip() != missed.prompt.strip()
        asked = next(q for q in item.takeaway.questions.all() if q.prompt.strip() == prompt.strip())
        assert asked.pk != missed.pk

        for choice in asked.choices.filter(correct=True):
            page.get_by_label(choice.text, exact=True).check()
        page.get_by_label("I'm sure").check()
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#question-card .verdict")).to_contain_text("Right.")
        expect(page.locator("#question-card")).to_be_focused()
        # The menu's count follows the swap: nothing is due any more.
        site_menu = page.get_by_role("navigation", name="Site")
        expect(site_menu.get_by_role("link", name="Review", exact=True)).to_be_visible()
        screenshot(page, "review-result-1280")
        page.get_by_role("link", name="Next review").click()
        expect(page.get_by_role("heading", name="Nothing to review right now")).to_be_visible()
        page.goto(live_course + "/")
        expect(page.get_by_role("link", name="Review 1 due")).to_have_count(0)
    assert csp_violations == []
