import pytest
from playwright.sync_api import expect

from course.instructors import make_instructor, update_instructors_group
from course.models import Section
from tests.support import INSTRUCTOR_PASSWORD, screenshot

pytestmark = pytest.mark.browser

NEW_PART = (
    "## Serverless inference\n\nScale to zero between requests. <img src=x onerror=alert(1)>\n"
)


def test_an_instructor_edits_a_draft_with_the_live_preview_publishes_and_a_learner_sees_it(
    page, browser, live_course, csp_violations
):
    Section.objects.filter(slug="inference-patterns").update(published=False)
    # The group comes from a data migration: the flush after an earlier browser test
    # removed it, as it removes every row.
    update_instructors_group()
    make_instructor("ines", password=INSTRUCTOR_PASSWORD)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    learner = browser.new_context().new_page()
    lesson_url = live_course + "/sections/inference-patterns/"
    assert learner.goto(lesson_url).status == 404

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(live_course + "/admin/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(INSTRUCTOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Sections").click()
    page.get_by_role("link", name="Inference Patterns: Batch, Real-Time, and Embedded AI").click()

    body = page.get_by_role("textbox", name="Body")
    body.fill(body.input_value() + "\n" + NEW_PART)
    preview = page.locator("#live-preview")
    expect(preview.get_by_role("heading", name="Serverless inference")).to_be_visible()
    expect(preview).to_contain_text("<img src=x onerror=alert(1)>")
    expect(preview.locator("img")).to_have_count(0)
    screenshot(page, "instructor-live-preview")

    page.get_by_role("checkbox", name="Published").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    learner.goto(lesson_url)
    expect(learner.get_by_role("heading", name="Serverless inference")).to_be_visible()
    expect(learner.locator(".lesson-body")).to_contain_text("<img src=x onerror=alert(1)>")
    assert dialogs == []
    assert csp_violations == []
