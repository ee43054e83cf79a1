"""Every learner page in a real browser: axe-core finds no serious or critical problem at
360 px and 1280 px, the quiz works with the keyboard alone, no page breaks the CSP."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.support import (
    LEARNER_PASSWORD,
    answer_any_in_browser,
    has_no_horizontal_scroll,
    screenshot,
)

pytestmark = pytest.mark.browser

AXE = Axe()


def serious_violations(page):
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page, name, width, problems):
    problems.extend(f"{name}@{width}: {v}" for v in serious_violations(page))
    if not has_no_horizontal_scroll(page):
        problems.append(f"{name}@{width}: scrolls sideways")
    screenshot(page, f"{name}-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_learner_pages_have_no_serious_accessibility_problems(
    page, live_course, width, csp_violations
):
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    base = live_course
    for name, path in [
        ("outline", "/"),
        ("chapter", "/chapters/2/"),
        ("lesson", "/sections/inference-patterns/"),
        ("sign-up", "/accounts/signup/"),
        ("log-in", "/accounts/login/"),
        ("quiz", "/sections/inference-patterns/quiz/"),
    ]:
        page.goto(base + path)
        check_page(page, name, width, problems)
    page.get_by_role("button", name="Start the quiz").click()
    check_page(page, "question", width, problems)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#answer-error")).to_be_visible()
    check_page(page, "question-error", width, problems)
    attempt = Attempt.objects.get()
    for position in range(1, attempt.question_count + 1):
        answer_any_in_browser(page.locator("#question-card"))
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#question-card .verdict")).to_be_visible()
        if position == 1:
            check_page(page, "question-result", width, problems)
        if position < attempt.question_count:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()
    check_page(page, "results", width, problems)
    page.goto(base + "/")
    check_page(page, "outline-with-progress", width, problems)
    page.goto(base + "/chapters/2/")
    check_page(page, "chapter-with-progress", width, problems)
    page.goto(base + "/progress/")
    check_page(page, "my-progress", width, problems)
    page.goto(base + "/review/")
    check_page(page, "review", width, problems)
    assert problems == []


def test_a_learner_completes_the_quiz_with_the_keyboard_alone(page, live_course):
    page.goto(live_course + "/sections/inference-patterns/quiz/")

    def tab_to(predicate, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"Tab never reached: {predicate}")

    tab_to("document.activeElement.textContent.trim() === 'Start the quiz'")
    page.keyboard.press("Enter")
    attempt_count = None
    position = 1
    while True:
        expect(page.locator("#question-card .progress-line")).to_contain_text(
            f"Question {position}"
        )
        card = page.locator("#question-card")
        if card.locator("input[name=choice]").count():
            tab_to("document.activeElement.name === 'choice'")
            page.keyboard.press("Space")
        # A match question: the first option for each prompt (the quiz lets options serve
        # several); an order question is answered by the places it starts with.
        for _ in range(card.locator("select[name^=pair-]").count()):
            tab_to("(document.activeElement.name || '').startsWith('pair-')")
            page.keyboard.press("ArrowDown")
        tab_to("document.activeElement.textContent.trim() === 'Check'")
        page.keyboard.press("Enter")
        expect(page.locator("#question-card .verdict")).to_be_visible()
        expect(page.locator("#question-card")).to_be_focused()
        attempt_count = attempt_count or Attempt.objects.get().question_count
        if position == attempt_count:
            break
        tab_to("document.activeElement.textContent.trim() === 'Next question'")
        page.keyboard.press("Enter")
        position += 1
        expect(page.locator("#question-card .progress-line")).to_contain_text(
            f"Question {position}"
        )
        expect(page.locator("#question-card")).to_be_focused()
    tab_to("document.activeElement.textContent.trim() === 'See your results'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Every question")).to_be_visible()
    assert Attempt.objects.get().finished_at is not None


def test_focus_is_visible_on_links_and_buttons(page, live_course):
    page.goto(live_course + "/")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_a_second_tab_after_logging_in_gets_a_clear_reload_message(browser, live_course):
    context = browser.new_context()
    quiz_tab = context.new_page()
    quiz_tab.goto(live_course + "/sections/inference-patterns/quiz/")
    quiz_tab.get_by_role("button", name="Start the quiz").click()
    get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    login_tab = context.new_page()
    login_tab.goto(live_course + "/accounts/login/")
    login_tab.get_by_label("Username").fill("ada")
    login_tab.get_by_label("Password").fill(LEARNER_PASSWORD)
    login_tab.get_by_role("button", name="Log in").click()
    expect(login_tab.get_by_role("heading", name="My progress")).to_be_visible()

    answer_any_in_browser(quiz_tab.locator("#question-card"))
    quiz_tab.get_by_role("button", name="Check").click()
    expect(quiz_tab.locator("#notice")).to_contain_text("Reload the page")
    assert not Attempt.objects.get().answers.filter(answered_at__isnull=False).exists()
    quiz_tab.reload()
    answer_any_in_browser(quiz_tab.locator("#question-card"))
    quiz_tab.get_by_role("button", name="Check").click()
    expect(quiz_tab.locator("#question-card .verdict")).to_be_visible()
    context.close()


def test_the_admin_works_under_the_same_policy(page, live_course, csp_violations):
    get_user_model().objects.create_superuser("boss", password=LEARNER_PASSWORD)
    page.goto(live_course + "/admin/login/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Sections").click()
    page.get_by_role("link", name="Inference Patterns: Batch, Real-Time, and Embedded AI").click()
    expect(page.get_by_text("What learners see")).to_be_visible()
    page.goto(live_course + "/admin/quizzes/question/")
    page.locator("#result_list tbody a").first.click()
    expect(page.locator("#choices-group")).to_be_visible()
    assert csp_violations == []
