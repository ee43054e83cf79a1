"""Hostile and broken input to every form and endpoint: a clear 4xx or a form error,
nothing stored, and no payload coming back as markup (checked by parsing the HTML)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from course.models import Section
from quizzes.models import Answer, Attempt, Learner, LessonCompletion
from tests.builders import lesson_md, question_toml, quiz_toml, write_course
from tests.html import injected_markup
from tests.support import LEARNER_PASSWORD, choice_ids, question_url

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "\u202e\u0000\u0007 ünïcødé ☃ \U0001f600",
]


def nothing_answered():
    return not Answer.objects.filter(answered_at__isnull=False).exists()


@pytest.fixture
def started(client, small_course):
    client.post(reverse("quizzes:start", args=[small_course.slug]))
    return Attempt.objects.get()


def post_endpoints(section, attempt):
    return [
        reverse("quizzes:start", args=[section.slug]),
        question_url(attempt, 1),
        reverse("quizzes:finish", args=[attempt.pk]),
        reverse("quizzes:lesson_complete", args=[section.slug]),
        reverse("logout"),
    ]


def test_post_only_endpoints_refuse_other_methods(client, small_course, started):
    for url in post_endpoints(small_course, started):
        if url != question_url(started, 1):
            assert client.get(url).status_code == 405, url
        assert client.put(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url
    assert nothing_answered()


def test_posts_without_a_csrf_token_are_refused_and_store_nothing(small_course, started):
    learner_client = Client(enforce_csrf_checks=True)
    learner_client.force_login(get_user_model().objects.create_user("ada", password="x"))
    for url in post_endpoints(small_course, started):
        response = learner_client.post(url, {"choice": choice_ids(started, 1)[:1], "complete": "1"})
        assert response.status_code == 403, url
        assert "reload the page" in response.content.decode().lower()
    assert nothing_answered()
    assert not LessonCompletion.objects.exists()
    assert Attempt.objects.count() == 1


def test_a_csrf_token_from_another_visitor_is_refused(small_course, started, client):
    mine = Client(enforce_csrf_checks=True)
    mine.get(small_course.get_absolute_url())
    theirs = Client(enforce_csrf_checks=True)
    theirs.get(small_course.get_absolute_url())
    response = mine.post(
        reverse("quizzes:lesson_complete", args=[small_course.slug]),
        {"complete": "1", "csrfmiddlewaretoken": theirs.cookies["csrftoken"].value},
    )
    assert response.status_code == 403
    assert not LessonCompletion.objects.exists()


def test_an_oversized_body_is_refused(client, small_course, started):
    response = client.post(question_url(started, 1), {"choice": "1" * 3_000_000})
    assert response.status_code == 400
    assert nothing_answered()


def test_too_many_fields_are_refused(client, small_course, started):
    response = client.post(question_url(started, 1), {"choice": [str(n) for n in range(1200)]})
    assert response.status_code == 400
    assert nothing_answered()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_answer_values_are_refused_and_not_echoed(client, small_course, started, payload):
    response = client.post(question_url(started, 1), {"choice": payload, "confidence": payload})
    assert response.status_code == 400
    assert injected_markup(response.content.decode()) == []
    assert nothing_answered()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_completion_values_are_refused(client, small_course, payload):
    url = reverse("quizzes:lesson_complete", args=[small_course.slug])
    response = client.post(url, {"complete": payload})
    assert response.status_code == 400
    assert injected_markup(response.content.decode()) == []
    assert not Learner.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/attempts/abc/",
        "/attempts/99999999999999999999/",
        "/attempts/-1/questions/1/",
        "/sections/%3Cscript%3E/",
        "/sections/inference-patterns/quiz/%00/",
        "/review/answers/x/",
    ],
)
def test_malformed_ids_in_addresses_are_404(client, small_course, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_usernames_get_a_form_error_and_are_not_echoed_as_markup(client, payload):
    password = LEARNER_PASSWORD
    response = client.post(
        reverse("signup"),
        {"username": payload, "email": payload, "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert injected_markup(response.content.decode()) == []
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_login_input_is_not_echoed_as_markup(client, payload):
    response = client.post(reverse("login"), {"username": payload, "password": payload})
    assert response.status_code == 200
    assert injected_markup(response.content.decode()) == []


def hostile_course(tmp_path):
    """A course whose every text field an author controls carries a payload."""
    content = write_course(tmp_path / "content", 0)
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    folder = content / "evil"
    folder.mkdir()
    lesson = lesson_md(
        "1.1",
        "evil",
        title=payload.replace('"', "'"),
        body=f"## Overview\n\n{payload} [x](javascript:alert(3))\n",
    )
    lesson = lesson.replace(
        'summary = "Summary of 1.1."', f"summary = {payload!r}".replace("'", '"')
    )
    lesson = lesson.replace('"Takeaway 1 of 1.1."', '"<b onmouseover=alert(4)>take</b>"')
    (folder / "lesson.md").write_text(lesson)
    question = question_toml(prompt="<img src=x onerror=alert(5)>", takeaway=1)
    question = question.replace('"Choice 1"', '"<script>alert(6)</script>"')
    question = question.replace('"Feedback for choice 1."', '"[x](javascript:alert(7))"')
    question += question_toml(prompt="Second", takeaway=2)
    (folder / "quiz.toml").write_text(quiz_toml([question]))
    call_command("import_content", str(content), verbosity=0)
    return Section.objects.get(slug="evil")


def test_markup_in_content_files_never_reaches_a_page_as_markup(client, tmp_path):
    section = hostile_course(tmp_path)
    pages = ["/", section.get_absolute_url(), reverse("quizzes:quiz", args=[section.slug])]
    client.post(reverse("quizzes:start", args=[section.slug]))
    attempt = Attempt.objects.get()
    pages.append(question_url(attempt, 1))
    for position in (1, 2):
        client.post(question_url(attempt, position), {"choice": choice_ids(attempt, position)[:1]})
    pages.append(question_url(attempt, 1))
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    pages += [reverse("quizzes:results", args=[attempt.pk]), reverse("quizzes:progress")]
    for page in pages:
        html = client.get(page).content.decode()
        assert injected_markup(html) == [], page


def test_markup_typed_into_the_admin_is_inert_for_learners_and_the_superuser(
    admin_client, client, tmp_path
):
    section = hostile_course(tmp_path)
    question = section.quiz.questions.get(position=1)
    for url in [
        reverse("admin:course_section_changelist"),
        reverse("admin:course_section_change", args=[section.pk]),
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_question_change", args=[question.pk]),
        reverse("admin:quizzes_quiz_change", args=[section.quiz.pk]),
    ]:
        html = admin_client.get(url).content.decode()
        assert injected_markup(html) == [], url
