import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from course.models import Section
from course.page_cache import CSRF_PLACEHOLDER
from tests.builders import write_course, write_section

pytestmark = pytest.mark.django_db

SEED_TABLE_CELLS = [
    "Pattern",
    "Best fit",
    "AWS service-selection examples",
    "Approval questions",
    "Batch inference",
    "Large volume, flexible timing",
    "SageMaker batch transform, managed AI batch jobs, S3 workflows, Glue orchestration",
    "Can results wait and be reviewed?",
    "Real-time inference",
    "User-facing or transaction-time response",
    "Bedrock API, SageMaker endpoint, Rekognition or Comprehend API, Lambda integration",
    "What latency, scaling, and fallback are required?",
    "Embedded AI",
    "AI inside an application workflow",
    "Amazon Q, Bedrock application, Lex bot, support tool integration",
    "How will users verify, override, and report issues?",
    "Asynchronous inference",
    "Longer processing with eventual result",
    "Document processing, media transcription, queued workflows",
    "How will status, retries, and notifications work?",
]


def lesson_url(slug):
    return reverse("course:lesson", args=[slug])


def chapter_url(number):
    return reverse("course:chapter", args=[number])


@pytest.fixture
def titled_chapter(small_course):
    """The small course, its chapter 1 titled "Foundations"."""
    course = small_course.course
    course.chapter_titles = {"1": "Foundations"}
    course.save()
    return small_course


def test_the_course_home_lists_each_chapter_with_its_title_and_link(client, titled_chapter):
    html = client.get("/").content.decode()
    assert f'<a class="outline-link" href="{chapter_url(1)}">' in html
    assert '<span class="outline-title">Foundations</span>' in html
    assert "0 of 1 section complete" in html


def test_a_chapter_page_lists_its_sections_with_number_title_and_summary(client, seed_course):
    html = client.get(chapter_url(2)).content.decode()
    assert "<h1>Chapter 2</h1>" in html
    assert '<span class="outline-number">2.4</span>' in html
    assert seed_course.title in html
    assert seed_course.summary in html
    assert f'href="{lesson_url("inference-patterns")}"' in html


def test_a_chapter_page_lists_only_its_own_chapter_and_links_the_next(client, course_of):
    course_of(12, per_chapter=10)
    first = client.get(chapter_url(1)).content.decode()
    assert first.count('<li class="outline-item">') == 10
    assert f'href="{chapter_url(2)}" rel="next"' in first
    second = client.get(chapter_url(2)).content.decode()
    assert second.count('<li class="outline-item">') == 2
    assert 'rel="next"' not in second


def test_a_chapter_without_published_sections_is_a_friendly_404(client, small_course):
    response = client.get(chapter_url(7))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_chapter_page_and_the_lesson_breadcrumbs_name_the_chapter(client, titled_chapter):
    assert "<h1>Chapter 1: Foundations</h1>" in client.get(chapter_url(1)).content.decode()
    html = client.get(lesson_url(titled_chapter.slug)).content.decode()
    assert f'<a href="{chapter_url(1)}">Chapter 1: Foundations</a>' in html


def test_drafts_are_left_off_the_course_home_and_chapter_pages(client, tmp_path, db):
    from django.core.management import call_command

    content = write_course(tmp_path / "c", 1)
    write_section(content, "1.2", "draft-one", published=False, title="Secret draft")
    write_section(content, "3.1", "draft-two", published=False, title="Secret chapter")
    call_command("import_content", str(content), verbosity=0)
    home = client.get("/").content.decode()
    assert "0 of 1 section complete" in home
    assert "Chapter 3" not in home
    assert "Secret draft" not in client.get(chapter_url(1)).content.decode()
    assert client.get(chapter_url(3)).status_code == 404


def test_lesson_shows_the_key_takeaways_box(client, seed_course):
    response = client.get(lesson_url("inference-patterns"))
    html = response.content.decode()
    assert '<h2 id="page-takeaways">Key takeaways</h2>' in html
    for takeaway in seed_course.takeaways.all():
        assert f"<li>{takeaway.text}</li>" in html
    assert seed_course.takeaways.count() == 4


def test_lesson_shows_the_comparison_table_word_for_word(client, seed_course):
    html = client.get(lesson_url("inference-patterns")).content.decode()
    for cell in SEED_TABLE_CELLS:
        assert f">{cell}</t" in html, cell
    assert html.count("<tr>") == 5
    assert html.count('<th scope="col">') == 4


def test_lesson_headings_have_ids_and_a_table_of_contents(client, seed_course):
    html = client.get(lesson_url("inference-patterns")).content.decode()
    for heading_id in ["batch-inference", "comparing-the-patterns", "pattern-selection-workflow"]:
        assert f'<h2 id="{heading_id}">' in html
        assert f'<a href="#{heading_id}">' in html


def test_lesson_body_sits_in_an_hx_disable_container(client, seed_course):
    html = client.get(lesson_url("inference-patterns")).content.decode()
    assert '<div class="lesson-body" hx-disable>' in html


def test_lesson_links_to_its_quiz(client, seed_course):
    html = client.get(lesson_url("inference-patterns")).content.decode()
    assert f'href="{reverse("quizzes:quiz", args=["inference-patterns"])}"' in html


def test_lesson_links_to_previous_and_next_published_sections(client, course_of):
    course_of(3)
    html = client.get(lesson_url("section-2")).content.decode()
    assert f'href="{lesson_url("section-1")}" rel="prev"' in html
    assert f'href="{lesson_url("section-3")}" rel="next"' in html


def test_first_section_has_no_previous_link(client, course_of):
    course_of(2)
    html = client.get(lesson_url("section-1")).content.decode()
    assert 'rel="prev"' not in html
    assert 'rel="next"' in html


def test_unknown_section_is_a_friendly_404(client, db):
    response = client.get(lesson_url("no-such-section"))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unpublished_section_is_404_for_learners(client, tmp_path):
    from django.core.management import call_command

    content = write_course(tmp_path / "c", 1)
    write_section(content, "1.2", "draft-one", published=False)
    call_command("import_content", str(content), verbosity=0)
    assert client.get(lesson_url("draft-one")).status_code == 404


def test_staff_can_preview_an_unpublished_section(client, tmp_path):
    from django.core.management import call_command

    content = write_course(tmp_path / "c", 1)
    write_section(content, "1.2", "draft-one", published=False, title="Draft title")
    call_command("import_content", str(content), verbosity=0)
    staff = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(staff)
    response = client.get(lesson_url("draft-one"))
    assert response.status_code == 200
    assert "Draft: learners cannot see this section yet." in response.content.decode()


def test_pages_send_a_strict_content_security_policy(client, seed_course):
    policy = client.get(lesson_url("inference-patterns"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_the_server_error_page_is_friendly_and_standalone(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# Pages shared by visitors without progress: cached, with each visitor's own CSRF token


def csrf_token_in(response):
    html = response.content.decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    assert marker in html
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_visitors_without_progress_share_a_cached_lesson_page_with_their_own_token(
    client, small_course
):
    url = small_course.get_absolute_url()
    first = client.get(url)
    visitor = Client(enforce_csrf_checks=True)
    second = visitor.get(url)  # served from the cache
    assert second.status_code == 200
    assert CSRF_PLACEHOLDER not in second.content.decode()
    assert csrf_token_in(first) != csrf_token_in(second)
    assert "csrftoken" in second.cookies
    # The token the visitor was given is the one their form needs.
    complete = reverse("quizzes:lesson_complete", args=[small_course.slug])
    posted = visitor.post(complete, {"complete": "1", "csrfmiddlewaretoken": csrf_token_in(second)})
    assert posted.status_code == 302
    assert "You marked this lesson complete." in visitor.get(url).content.decode()


def test_progress_and_accounts_never_come_from_the_shared_page(client, small_course):
    url = small_course.get_absolute_url()
    client.get(url)  # cached now
    reader = Client()
    reader.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": "1"})
    assert "You marked this lesson complete." in reader.get(url).content.decode()
    assert "Read" in reader.get(reverse("course:chapter", args=[1])).content.decode()
    ada = Client()
    ada.force_login(get_user_model().objects.create_user("ada", password="x"))
    assert "Account: ada" in ada.get(url).content.decode()
    assert "Account: ada" in ada.get(reverse("course:outline")).content.decode()
    newcomer = Client().get(url).content.decode()
    assert "Mark lesson complete" in newcomer
    assert "You marked" not in newcomer
    assert "Account:" not in newcomer


def test_the_shared_outline_shows_the_course_and_sets_no_csrf_cookie(client, small_course):
    client.get(reverse("course:outline"))
    response = Client().get(reverse("course:outline"))  # served from the cache
    assert small_course.title in response.content.decode()
    assert "csrftoken" not in response.cookies  # nothing on the outline needs one


# Edits show at once: cached pages and parts are kept under the content version


@pytest.mark.parametrize("url", ["lesson", "chapter", "home"])
def test_a_saved_edit_shows_at_once_on_a_page_cached_for_visitors(client, small_course, url):
    url = {
        "lesson": small_course.get_absolute_url(),
        "chapter": chapter_url(1),
        "home": reverse("course:outline"),
    }[url]
    client.get(url)
    assert Client().get(url).status_code == 200  # served from the cache
    small_course.title = "A title edited in the admin"
    small_course.save()
    assert "A title edited in the admin" in Client().get(url).content.decode()


def test_unpublishing_hides_a_cached_lesson_and_chapter_at_once(client, small_course):
    for url in (small_course.get_absolute_url(), chapter_url(1)):
        assert client.get(url).status_code == 200
    small_course.published = False
    small_course.save()
    for url in (small_course.get_absolute_url(), chapter_url(1)):
        assert Client().get(url).status_code == 404


def test_an_edited_takeaway_shows_at_once_in_a_learners_cached_lesson_text(client, small_course):
    client.force_login(get_user_model().objects.create_user("ada", password="x"))
    url = small_course.get_absolute_url()
    client.get(url)
    takeaway = small_course.takeaways.first()
    takeaway.text = "A takeaway edited in the admin."
    takeaway.save()
    assert "A takeaway edited in the admin." in client.get(url).content.decode()


def test_an_import_shows_at_once_on_a_cached_page(client, tmp_path, db):
    from django.core.management import call_command

    content = write_course(tmp_path / "c", 1)
    call_command("import_content", str(content), verbosity=0)
    url = lesson_url("section-1")
    client.get(url)
    write_section(content, "1.1", "section-1", title="Retitled by an import")
    call_command("import_content", str(content), verbosity=0)
    assert "Retitled by an import" in Client().get(url).content.decode()


@pytest.mark.parametrize("url", ["/", "/healthz/", "/sections/inference-patterns/"])
def test_pages_answer_head_requests(client, seed_course, url):
    assert client.head(url).status_code == 200


def test_learners_in_different_states_never_see_each_others_cached_rows(client, course_of):
    first, second = course_of(2)
    complete = reverse("quizzes:lesson_complete", args=[first.slug])
    reader, other = Client(), Client()
    reader.post(complete, {"complete": "1"})
    other.post(reverse("quizzes:lesson_complete", args=[second.slug]), {"complete": "1"})
    for _ in range(2):  # the second time from the cache
        mine = reader.get(chapter_url(1)).content.decode()
        theirs = other.get(chapter_url(1)).content.decode()
        assert mine.count("badge badge-read") == theirs.count("badge badge-read") == 1
        assert mine.index("badge badge-read") < mine.index(second.get_absolute_url())
        assert theirs.index("badge badge-read") > theirs.index(second.get_absolute_url())
        assert "0 of 2 sections complete" in reader.get("/").content.decode()


def test_a_learners_cached_rows_follow_their_progress_and_edits(client, small_course):
    client.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": "1"})
    assert "Not complete: Quiz not passed yet" in client.get(chapter_url(1)).content.decode()
    client.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": "0"})
    assert "Not read yet" in client.get(chapter_url(1)).content.decode()
    small_course.summary = "A summary edited in the admin."
    small_course.save()
    assert "A summary edited in the admin." in client.get(chapter_url(1)).content.decode()


def test_an_edit_landing_while_a_page_renders_shows_on_the_next_request(
    client, course_of, monkeypatch
):
    import course.views as views

    first, second = course_of(2, with_quiz=False)
    client.post(reverse("quizzes:lesson_complete", args=[first.slug]), {"complete": "1"})
    real = views.course_progress

    def progress_then_an_instructor_saves(learner, sections):
        result = real(learner, sections)
        renamed = Section.objects.get(pk=second.pk)
        renamed.title = "Renamed while the page rendered"
        renamed.save()
        return result

    monkeypatch.setattr(views, "course_progress", progress_then_an_instructor_saves)
    client.get(chapter_url(1))
    monkeypatch.setattr(views, "course_progress", real)
    assert "Renamed while the page rendered" in client.get(chapter_url(1)).content.decode()
