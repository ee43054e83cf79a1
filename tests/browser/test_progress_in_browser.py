import pytest
from playwright.sync_api import expect

from tests.support import LEARNER_PASSWORD, screenshot, take_quiz_in_browser

pytestmark = pytest.mark.browser


def test_an_anonymous_learner_keeps_progress_through_sign_up_and_log_in(
    page, live_course, csp_violations
):
    page.goto(live_course + "/sections/inference-patterns/")
    page.get_by_role("button", name="Mark lesson complete").click()
    expect(page.get_by_text("You marked this lesson complete.")).to_be_visible()
    expect(page.locator("#completion")).to_be_focused()
    take_quiz_in_browser(page, live_course, with_htmx=True)

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password", exact=True).fill(LEARNER_PASSWORD)
    page.get_by_label("Password confirmation").fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_text("Course completion: 100%")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="2.4")
    expect(row.get_by_role("cell").nth(0)).to_have_text("Yes")
    expect(page.get_by_role("link", name="Review attempt")).to_have_count(1)
    screenshot(page, "my-progress-1280")

    page.get_by_role("button", name="Log out").click()
    page.goto(live_course + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Course completion: 100%")).to_be_visible()
    page.get_by_role("link", name="Review attempt").click()
    expect(page.get_by_role("heading", name="Your score: 100%")).to_be_visible()
    assert csp_violations == []
