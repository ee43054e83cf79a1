import pytest
from playwright.sync_api import expect

from tests.support import has_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_a_learner_reads_the_lesson(page, live_course, csp_violations, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_course + "/")
    page.get_by_role("link", name="Chapter 2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chapter 2")
    page.get_by_role(
        "link", name="2.4 Inference Patterns: Batch, Real-Time, and Embedded AI", exact=True
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inference Patterns: Batch, Real-Time, and Embedded AI"
    )
    takeaways = page.get_by_role("complementary", name="Key takeaways")
    expect(takeaways.get_by_role("listitem")).to_have_count(4)
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table.get_by_role("columnheader")).to_have_count(4)
    expect(page.get_by_role("cell", name="Large volume, flexible timing")).to_be_visible()
    expect(page.get_by_role("heading", name="Pattern selection workflow")).to_be_visible()
    workflow = page.locator("#pattern-selection-workflow ~ ol").first
    expect(workflow.locator(":scope > li")).to_have_count(6)
    assert has_no_horizontal_scroll(page)

    page.get_by_role("navigation", name="In this lesson").get_by_role(
        "link", name="Comparing the patterns"
    ).click()
    assert page.url.endswith("#comparing-the-patterns")
    expect(page.get_by_role("link", name="Take the quiz")).to_be_visible()
    screenshot(page, f"lesson-{width}")
    assert csp_violations == []


@pytest.mark.parametrize(("width", "hinted"), [(360, True), (1280, False)])
def test_a_wide_table_says_it_scrolls_on_a_narrow_screen(page, live_course, width, hinted):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_course + "/sections/inference-patterns/")
    hint = page.locator(".table-scroll").first.evaluate(
        "element => getComputedStyle(element, '::before').content"
    )
    assert ("Scroll sideways" in hint) == hinted
