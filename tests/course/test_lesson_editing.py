import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from course.models import Section
from course.rendering import render_markdown
from tests.html import XSS_PAYLOADS, ParsedHTML, assert_no_markup_from_authors
from tests.support import admin_change_url, section_form

pytestmark = pytest.mark.django_db

PREVIEW_URL = "admin:course_section_preview"


def preview(client, body):
    return client.post(reverse(PREVIEW_URL), {"body": body})


def test_the_live_preview_and_the_learner_page_show_the_same_html(instructor_client, seed_course):
    body = seed_course.body + "\n## Added part\n\nNew *text* with a [link](https://example.org).\n"
    expected = render_markdown(body)
    assert expected in preview(instructor_client, body).content.decode()
    instructor_client.post(admin_change_url(seed_course), section_form(seed_course, body=body))
    assert expected in Client().get(seed_course.get_absolute_url()).content.decode()


def test_the_live_preview_is_a_container_htmx_leaves_alone(instructor_client):
    html = preview(instructor_client, "## Part\n").content.decode()
    ((tag, attributes),) = [
        element for element in ParsedHTML(html).elements if element[1].get("id") == "live-preview"
    ]
    assert tag == "div"
    assert "hx-disable" in attributes


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_live_preview_shows_no_payload_as_markup(instructor_client, payload):
    html = preview(instructor_client, f"## Part\n\n{payload}\n").content.decode()
    parsed = ParsedHTML(html, inside="lesson-preview")
    assert parsed.found
    assert_no_markup_from_authors(parsed.elements)


def test_payloads_saved_in_the_admin_reach_the_learner_page_as_text(instructor_client, seed_course):
    data = section_form(seed_course, body="\n\n".join(XSS_PAYLOADS), title=XSS_PAYLOADS[0])
    data["takeaways-0-text"] = XSS_PAYLOADS[2]
    assert instructor_client.post(admin_change_url(seed_course), data).status_code == 302
    html = Client().get(seed_course.get_absolute_url()).content.decode()
    lesson = ParsedHTML(html, inside="lesson-body")
    assert lesson.found
    assert_no_markup_from_authors(lesson.elements)
    for tag, attributes in ParsedHTML(html).elements:
        assert tag != "script" or attributes.get("src"), "only the site's own script files"
        assert not any(name.startswith("on") for name in attributes), tag


def test_the_live_preview_is_for_staff_only(client, seed_course):
    assert preview(client, "## Part\n").status_code == 302
    learner = get_user_model().objects.create_user("lee", password="x")
    client.force_login(learner)
    response = preview(client, "## Part\n")
    assert response.status_code == 302
    assert "Part" not in response.content.decode()


def test_the_live_preview_is_for_those_who_may_edit_sections(client):
    staff = get_user_model().objects.create_user("sam", password="x", is_staff=True)
    client.force_login(staff)
    assert preview(client, "## Part\n").status_code == 403


def test_the_live_preview_takes_posts_only(instructor_client):
    assert instructor_client.get(reverse(PREVIEW_URL), {"body": "x"}).status_code == 405


def test_the_live_preview_needs_the_csrf_token(instructor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    assert preview(client, "## Part\n").status_code == 403


def test_the_editor_asks_for_a_preview_as_the_author_types(instructor_client, seed_course):
    html = instructor_client.get(admin_change_url(seed_course)).content.decode()
    elements = ParsedHTML(html).elements
    (body,) = [attrs for tag, attrs in elements if tag == "textarea" and attrs["name"] == "body"]
    assert body["hx-post"] == reverse(PREVIEW_URL)
    assert body["hx-target"] == "#live-preview"
    assert "delay:500ms" in body["hx-trigger"]
    assert any(attrs.get("name") == "htmx-config" for tag, attrs in elements if tag == "meta")
    scripts = [attrs for tag, attrs in elements if tag == "script"]
    assert any(attrs.get("src", "").endswith("htmx-2.min.js") for attrs in scripts)
    assert all(attrs.get("src") for attrs in scripts), "no inline script"


def test_a_draft_is_previewed_as_a_learner_from_its_change_page(instructor_client, seed_course):
    Section.objects.filter(pk=seed_course.pk).update(published=False)
    html = instructor_client.get(admin_change_url(seed_course)).content.decode()
    links = {attrs.get("href") for tag, attrs in ParsedHTML(html).elements if tag == "a"}
    assert seed_course.get_absolute_url() in links
    assert "Preview as learner" in html
    page = instructor_client.get(seed_course.get_absolute_url())
    assert "Draft: learners cannot see this section yet." in page.content.decode()
    assert Client().get(seed_course.get_absolute_url()).status_code == 404


def test_a_draft_preview_offers_no_quiz_that_would_not_open(instructor_client, seed_course):
    Section.objects.filter(pk=seed_course.pk).update(published=False)
    quiz_url = seed_course.quiz.get_absolute_url()
    assert instructor_client.get(quiz_url).status_code == 404
    html = instructor_client.get(seed_course.get_absolute_url()).content.decode()
    links = {attrs.get("href") for tag, attrs in ParsedHTML(html).elements if tag == "a"}
    assert quiz_url not in links
    assert "Take the quiz" not in html
    assert "The quiz opens when this section is published." in html
    questions = reverse("admin:quizzes_quiz_change", args=[seed_course.quiz.pk])
    assert questions in links
    assert instructor_client.get(questions).status_code == 200


def test_publishing_a_draft_shows_it_to_learners(instructor_client, seed_course):
    Section.objects.filter(pk=seed_course.pk).update(published=False)
    seed_course.refresh_from_db()
    instructor_client.post(admin_change_url(seed_course), section_form(seed_course, published="on"))
    assert Client().get(seed_course.get_absolute_url()).status_code == 200


def takeaway_texts(section):
    return list(section.takeaways.order_by("position").values_list("position", "text"))


def test_two_takeaways_swap_places_in_one_save(instructor_client, seed_course):
    first, second, *_ = seed_course.takeaways.order_by("position")
    data = section_form(seed_course)
    data["takeaways-0-order"], data["takeaways-1-order"] = 2, 1
    assert instructor_client.post(admin_change_url(seed_course), data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)
    # Questions follow their takeaway, not its position.
    assert first.questions.exists()


def test_takeaways_are_numbered_one_two_three_and_a_new_one_goes_last(
    instructor_client, seed_course
):
    data = section_form(seed_course)
    data["takeaways-0-order"] = 9
    data.update(
        {
            "takeaways-TOTAL_FORMS": 5,
            "takeaways-4-section": seed_course.pk,
            "takeaways-4-text": "A fifth takeaway.",
        }
    )
    assert instructor_client.post(admin_change_url(seed_course), data).status_code == 302
    positions = takeaway_texts(seed_course)
    assert [position for position, _ in positions] == [1, 2, 3, 4, 5]
    assert positions[3][1].startswith("Batch inference is useful")
    assert positions[4][1] == "A fifth takeaway."


def test_a_takeaway_that_questions_test_cannot_be_removed(instructor_client, seed_course):
    before = takeaway_texts(seed_course)
    data = section_form(seed_course)
    data["takeaways-0-DELETE"] = "on"
    response = instructor_client.post(admin_change_url(seed_course), data)
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert takeaway_texts(seed_course) == before


def test_sections_are_reordered_by_editing_their_numbers_in_the_list(instructor_client, course_of):
    first, second, third = course_of(3)
    data = {"form-TOTAL_FORMS": 3, "form-INITIAL_FORMS": 3, "_save": "Save"}
    for index, (section, number) in enumerate([(first, "1.4"), (second, "1.2"), (third, "1.3")]):
        data[f"form-{index}-id"] = section.pk
        data[f"form-{index}-number"] = number
    response = instructor_client.post(reverse("admin:course_section_changelist"), data)
    assert response.status_code == 302
    assert list(Section.objects.values_list("slug", flat=True)) == [
        "section-2",
        "section-3",
        "section-1",
    ]
