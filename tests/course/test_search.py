"""Search: published sections by words in their title, key takeaways and text, the passage
shown escaped with the match marked, and a link to the heading it sits under."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from course.models import Section
from course.search import MAX_QUERY_LENGTH, search_sections
from tests.builders import COURSE_TOML, write_section
from tests.html import XSS_PAYLOADS, ParsedHTML, injected_markup
from tests.support import section_form

pytestmark = pytest.mark.django_db

SEARCH = reverse("course:search")


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "course.toml").write_text(COURSE_TOML)
    return folder


def import_sections(folder, *sections):
    """Write and import sections given as (number, slug, options for the lesson)."""
    for number, slug, options in sections:
        write_section(folder, number, slug, with_quiz=False, **options)
    call_command("import_content", str(folder), verbosity=0)


def result_links(response):
    return [
        attributes["href"]
        for tag, attributes in ParsedHTML(
            response.content.decode(), inside="search-result-list"
        ).elements
        if tag == "a"
    ]


def test_a_section_whose_title_is_the_query_comes_first(client, content):
    import_sections(
        content,
        ("1.1", "batch", {"title": "Batch jobs", "body": "## Caching\n\nCaching caching."}),
        ("1.2", "caching", {"title": "Caching", "body": "## Overview\n\nKeep results."}),
        ("1.3", "more", {"title": "Caching at the edge", "body": "## Edge\n\nNear users."}),
    )
    assert search_sections("caching")[0].section.slug == "caching"
    links = result_links(client.get(SEARCH, {"q": "CACHING"}))
    assert links[0] == "/sections/caching/"
    assert len(links) == 3


def test_the_passage_is_shown_marked_with_a_link_to_its_heading(client, content):
    body = "## Overview\n\nFirst.\n\n## Serving\n\nHi.\n\n### Budgets\n\nLatency *budgets* matter."
    import_sections(content, ("1.1", "serving", {"title": "Serving", "body": body}))
    response = client.get(SEARCH, {"q": "latency"})
    html = response.content.decode()
    assert result_links(response) == ["/sections/serving/#budgets"]
    assert "<mark>Latency</mark> budgets matter." in html
    # The excerpt is plain text from the sanitized body: no Markdown, no tags but the mark.
    excerpt = ParsedHTML(html, inside="search-excerpt").elements
    assert excerpt == [("mark", {})]


def test_a_match_in_a_key_takeaway_links_to_the_takeaways(client, content):
    import_sections(content, ("1.1", "one", {}))
    response = client.get(SEARCH, {"q": "takeaway 2"})
    assert result_links(response) == ["/sections/one/#page-takeaways"]
    assert "<mark>Takeaway</mark> <mark>2</mark> of 1.1." in response.content.decode()


def test_every_word_must_match(client, content):
    import_sections(
        content,
        ("1.1", "one", {"body": "## A\n\nRed apples."}),
        ("1.2", "two", {"body": "## A\n\nRed cherries."}),
    )
    assert result_links(client.get(SEARCH, {"q": "red apples"})) == ["/sections/one/#a"]


@pytest.mark.parametrize("who", ["visitor", "staff"])
def test_drafts_never_appear(client, admin_user, content, who):
    import_sections(
        content,
        ("1.1", "live", {"title": "Secret live", "body": "## A\n\nSecret words."}),
        ("1.2", "draft", {"title": "Secret draft", "published": False}),
    )
    if who == "staff":
        client.force_login(admin_user)
    response = client.get(SEARCH, {"q": "secret"})
    assert result_links(response) == ["/sections/live/#a"]
    assert "Secret draft" not in response.content.decode()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_markup_comes_through_the_query_or_the_passage(client, content, payload):
    body = "## Hostile\n\n" + payload.replace("\n", " ") + " trap"
    import_sections(content, ("1.1", "hostile", {"title": "Hostile", "body": body}))
    for query in (payload, "trap", f"trap {payload}"):
        response = client.get(SEARCH, {"q": query})
        html = response.content.decode()
        assert response.status_code == 200
        assert injected_markup(html) == [], query
        for tag, _ in ParsedHTML(html, inside="search-excerpt").elements:
            assert tag == "mark", query
    response = client.get(SEARCH, {"q": "alert"})
    for tag, _ in ParsedHTML(response.content.decode(), inside="search-results").elements:
        assert tag in {"h2", "h3", "ol", "li", "a", "p", "mark"}


def test_the_match_is_escaped_before_it_is_marked(client, content):
    # In backticks, so the lesson shows the tags as text (raw tags would be stripped).
    import_sections(content, ("1.1", "one", {"body": "## A\n\nUse `a<b> & c<mark>d.`"}))
    html = client.get(SEARCH, {"q": "<b>"}).content.decode()
    assert "a<mark>&lt;b&gt;</mark> &amp; c&lt;mark&gt;d." in html


def test_an_empty_or_too_long_query_gets_a_message(client, content):
    import_sections(content, ("1.1", "one", {}))
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        assert "Type one or more words" in response.content.decode()
    response = client.get(SEARCH, {"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert f"at most {MAX_QUERY_LENGTH} characters" in response.content.decode()
    assert client.get(SEARCH, {"q": "\x00\x07"}).status_code == 200
    assert client.get(SEARCH, {"q": "overview\x00text"}).status_code == 200
    # LIKE's wildcards and quotes are searched for as themselves.
    for odd in ("%", "_", "\\", "'", "\u202e☃"):
        response = client.get(SEARCH, {"q": odd})
        assert response.status_code == 200, repr(odd)
        assert "No section matches" in response.content.decode()


def test_every_page_has_the_search_box(client, small_course):
    for url in ("/", small_course.get_absolute_url(), reverse("quizzes:progress"), SEARCH):
        forms = [
            attributes
            for tag, attributes in ParsedHTML(client.get(url).content.decode()).elements
            if tag == "form" and attributes.get("role") == "search"
        ]
        # One search form a page: the search page's own replaces the header's.
        (form,) = forms
        assert (form["method"], form["action"]) == ("get", SEARCH), url


def test_the_search_text_follows_admin_edits_of_takeaways_and_body(admin_client, small_course):
    data = section_form(small_course, body="## Fresh\n\nNewly written words.")
    data["takeaways-0-text"] = "A renamed takeaway about zebras."
    response = admin_client.post(
        reverse("admin:course_section_change", args=[small_course.pk]), data
    )
    assert response.status_code == 302
    text = Section.objects.get(pk=small_course.pk).search_text
    assert "zebras" in text
    assert "Newly written words." in text
    assert "## Fresh" not in text
    assert [r.anchor for r in search_sections("zebras")] == ["page-takeaways"]


def test_a_section_saved_again_with_a_new_body_is_searched_by_its_new_text(small_course):
    small_course.searchable_text([])  # the lesson's text as it was, read once
    small_course.body = "## Fresh\n\nNewly written words."
    small_course.save()
    small_course.refresh_search_text()
    stored = Section.objects.get(pk=small_course.pk).search_text
    assert stored == small_course.search_text
    assert stored.endswith("\nFresh Newly written words.")
    assert "Section 1.1 text." not in stored


def test_the_search_text_follows_an_import_that_changes_only_takeaways(content):
    import_sections(content, ("1.1", "one", {}))
    assert not search_sections("giraffes")
    lesson = content / "one" / "lesson.md"
    lesson.write_text(lesson.read_text().replace("Takeaway 2 of 1.1.", "Giraffes."))
    call_command("import_content", str(content), verbosity=0)
    assert [r.section.slug for r in search_sections("giraffes")] == ["one"]


def test_other_forms_of_a_word_match_on_postgresql_and_only_as_typed_on_sqlite(client, content):
    """PostgreSQL's full-text search knows "patterns" is "pattern"; SQLite's search finds
    the words as typed (and finds "pattern" inside "patterns")."""
    import_sections(content, ("1.1", "one", {"body": "## A\n\nOne serving pattern."}))
    response = client.get(SEARCH, {"q": "patterns"})
    if connection.vendor == "postgresql":
        assert result_links(response) == ["/sections/one/#a"]
        assert "<mark>patt</mark>ern." in response.content.decode()
    else:
        assert result_links(response) == []
        assert result_links(client.get(SEARCH, {"q": "pattern"})) == ["/sections/one/#a"]
