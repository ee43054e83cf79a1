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
    # Raw HTML is stripped, as content/README.md says: no image, no handler, no tag as text.
    expect(preview).to_contain_text("Scale to zero between requests.")
    expect(preview).not_to_contain_text("onerror")
    expect(preview.locator("img")).to_have_count(0)
    screenshot(page, "instructor-live-preview")

    page.get_by_role("checkbox", name="Published").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    learner.goto(lesson_url)
    expect(learner.get_by_role("heading", name="Serverless inference")).to_be_visible()
    expect(learner.locator(".lesson-body")).to_contain_text("Scale to zero between requests.")
    expect(learner.locator(".lesson-body")).not_to_contain_text("onerror")
    assert dialogs == []
    assert csp_violations == []


def test_an_instructor_adds_a_question_with_the_choices_table_in_full_view(
    page, live_course, csp_violations
):
    update_instructors_group()
    make_instructor("ines", password=INSTRUCTOR_PASSWORD)
    quiz = Section.objects.get(slug="inference-patterns").quiz
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_course}/admin/quizzes/question/add/?quiz={quiz.pk}")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(INSTRUCTOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add question")).to_be_visible()
    expect(page.locator("#choices-group tbody tr.form-row:not(.empty-form)")).to_have_count(3)
    # Every column of the choices table fits the page: nothing to scroll to.
    fits = page.locator("#choices-group .wrapper").evaluate(
        "wrapper => wrapper.scrollWidth <= wrapper.clientWidth"
    )
    assert fits
    page.get_by_label("Takeaway").select_option(label=quiz.section.takeaways.first().text)
    page.get_by_label("Heading").select_option(label="Batch inference")
    screenshot(page, "instructor-add-question")
    page.locator("#id_prompt").fill("Which pattern scores many records together?")
    page.locator("#id_explanation").fill("Batch inference scores records together.")
    for index, text in enumerate(["Batch", "Real-time", "Embedded"]):
        page.locator(f"#id_choices-{index}-text").fill(text)
        page.locator(f"#id_choices-{index}-feedback").fill(f"About {text}.")
    page.locator("#id_choices-0-correct").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert quiz.questions.filter(prompt__startswith="Which pattern scores").exists()
    assert csp_violations == []
