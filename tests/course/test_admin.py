import pytest
from django.urls import reverse

from course.models import Section
from tests.support import section_form

pytestmark = pytest.mark.django_db


def test_sections_are_listed_with_number_title_published_and_update(admin_client, seed_course):
    html = admin_client.get(reverse("admin:course_section_changelist")).content.decode()
    for column in ["Number", "Title", "Published", "Updated at"]:
        assert column in html
    assert "Inference Patterns: Batch, Real-Time, and Embedded AI" in html


def test_sections_can_be_searched(admin_client, seed_course):
    url = reverse("admin:course_section_changelist")
    assert "Inference Patterns: Batch" in admin_client.get(url, {"q": "Embedded"}).content.decode()
    assert "0 sections" in admin_client.get(url, {"q": "zebra"}).content.decode()


def test_the_change_page_previews_the_sanitized_lesson_and_links_to_the_site(
    admin_client, seed_course
):
    html = admin_client.get(
        reverse("admin:course_section_change", args=[seed_course.pk])
    ).content.decode()
    assert 'class="lesson-body lesson-preview" hx-disable' in html
    assert '<h2 id="comparing-the-patterns">' in html
    assert "View on site" in html
    assert "Key takeaway" in html


def test_saving_in_the_admin_renders_and_sanitizes_the_body(admin_client, seed_course):
    body = "## New part\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))\n"
    response = admin_client.post(
        reverse("admin:course_section_change", args=[seed_course.pk]),
        section_form(seed_course, body=body),
    )
    assert response.status_code == 302
    section = Section.objects.get(pk=seed_course.pk)
    assert '<h2 id="new-part">New part</h2>' in section.body_html
    assert "onerror" not in section.body_html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "javascript:" not in section.body_html
    assert section.toc == [{"id": "new-part", "level": 2, "text": "New part"}]


def test_the_admin_is_named_after_the_course(instructor_client, seed_course):
    html = instructor_client.get(reverse("admin:index")).content.decode()
    assert "Django administration" not in html
    assert "Django site admin" not in html
    assert f"{seed_course.course.title}: administration" in html
    assert (
        f"<title>Edit the course and follow how learners do | {seed_course.course.title} admin"
        in html
    )


def test_chapter_titles_are_edited_one_row_per_chapter(instructor_client, seed_course):
    course = seed_course.course
    url = reverse("admin:course_course_change", args=[course.pk])
    html = instructor_client.get(url).content.decode()
    assert 'name="chapter_titles"' not in html
    assert "Chapter 2 title" in html
    data = {"title": course.title, "slug": course.slug, "description": course.description}
    response = instructor_client.post(url, {**data, "chapter_2": "  Operations  "})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.chapter_titles == {"2": "Operations"}
    assert 'value="Operations"' in instructor_client.get(url).content.decode()
    instructor_client.post(url, {**data, "chapter_2": ""})
    course.refresh_from_db()
    assert course.chapter_titles == {}
