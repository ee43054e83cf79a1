"""The completion record: made when the course is complete, linked from the outline and My
progress, shared by an unguessable address that shows nothing else about the learner."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from quizzes.models import CompletionRecord, Learner
from tests.html import ParsedHTML
from tests.quizzes.test_accounts import sign_up
from tests.support import LEARNER_PASSWORD, finished_attempt

pytestmark = pytest.mark.django_db

LINK_TEXT = "Your completion record"


def complete_course(client, section, start_quiz, answer_all, *, finish=True):
    client.post(reverse("quizzes:lesson_complete", args=[section.slug]), {"complete": "1"})
    attempt = answer_all(start_quiz(section, using=client), using=client)
    if finish:
        client.post(reverse("quizzes:finish", args=[attempt.pk]))
    return attempt


def record_links(client):
    """The completion record's address as linked from the outline and from My progress."""
    links = []
    for url in (reverse("course:outline"), reverse("quizzes:progress")):
        html = client.get(url).content.decode()
        links += [
            attributes["href"]
            for tag, attributes in ParsedHTML(html).elements
            if tag == "a" and "/completed/" in attributes.get("href", "")
        ]
    return links


def test_the_record_appears_only_when_the_course_is_complete(
    client, small_course, start_quiz, answer_all
):
    complete_course(client, small_course, start_quiz, answer_all, finish=False)
    assert record_links(client) == []
    assert not CompletionRecord.objects.exists()
    attempt = Learner.objects.get().attempts.get()
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    links = record_links(client)
    record = CompletionRecord.objects.get()
    assert links == [record.get_absolute_url()] * 2
    assert LINK_TEXT in client.get(reverse("quizzes:progress")).content.decode()
    assert len(record.token) >= 32
    # Made once: the same record on every later visit.
    record_links(client)
    assert CompletionRecord.objects.get().token == record.token


def test_the_record_states_the_course_name_date_scores_and_retained(
    client, small_course, start_quiz, answer_all
):
    client.force_login(get_user_model().objects.create_user("ada", password="x"))
    complete_course(client, small_course, start_quiz, answer_all)
    record_links(client)
    record = CompletionRecord.objects.get()
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Test course" in html
    assert "Completed by <strong>ada</strong> on" in html
    assert record.completed_at.strftime("%-d %B %Y") in html
    assert "1.1 Section 1.1" in html
    assert re.search(r"<td>100%</td>\s*<td>\d of 2 key takeaways \(\d+%\)</td>", html)


def test_the_shared_address_works_logged_out_and_shows_nothing_else(
    client, small_course, start_quiz, answer_all
):
    client.force_login(get_user_model().objects.create_user("ada", password="x"))
    attempt = complete_course(client, small_course, start_quiz, answer_all)
    record_links(client)
    url = CompletionRecord.objects.get().get_absolute_url()
    # Someone else did worse on the same quiz, and has no record.
    other = Learner.objects.create(user=get_user_model().objects.create_user("bob"))
    finished_attempt(other, small_course, 25)
    stranger = Client()
    response = stranger.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert "ada" in html
    assert "bob" not in html
    assert "25%" not in html
    assert reverse("quizzes:results", args=[attempt.pk]) not in html
    assert "/attempts/" not in html
    assert "Sign up</a> to keep it" not in html
    # The record's own content links nowhere: no attempts, lessons or progress.
    assert [t for t, _ in ParsedHTML(html, inside="completion-record").elements if t == "a"] == []
    assert stranger.get(url.replace(url.split("/")[-2], "x" * 32)).status_code == 404


def test_an_anonymous_learner_gets_no_name_and_an_offer_to_sign_up_that_keeps_it(
    client, small_course, start_quiz, answer_all
):
    complete_course(client, small_course, start_quiz, answer_all)
    record_links(client)
    url = CompletionRecord.objects.get().get_absolute_url()
    html = client.get(url).content.decode()
    assert "Completed on" in html
    assert "Completed by" not in html
    assert "Sign up</a> to keep it with an account." in html
    sign_up(client)
    record = CompletionRecord.objects.get()
    assert record.learner.user.username == "ada"
    assert record.get_absolute_url() == url
    html = Client().get(url).content.decode()
    assert "Completed by <strong>ada</strong>" in html


def test_logging_in_keeps_the_earlier_record(client, small_course, start_quiz, answer_all):
    user = get_user_model().objects.create_user("ada", password=LEARNER_PASSWORD)
    account = Client()
    account.force_login(user)
    complete_course(account, small_course, start_quiz, answer_all)
    record_links(account)
    kept = CompletionRecord.objects.get().token
    complete_course(client, small_course, start_quiz, answer_all)
    record_links(client)
    assert CompletionRecord.objects.count() == 2
    client.post(reverse("login"), {"username": "ada", "password": LEARNER_PASSWORD})
    assert list(CompletionRecord.objects.values_list("token", flat=True)) == [kept]


def test_the_printed_record_has_no_site_chrome(client, small_course, start_quiz, answer_all):
    complete_course(client, small_course, start_quiz, answer_all)
    record_links(client)
    html = client.get(CompletionRecord.objects.get().get_absolute_url()).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    print_css = re.sub(
        r"/\*.*?\*/", "", (settings.BASE_DIR / "static/css/print.css").read_text(), flags=re.S
    )
    hidden = re.search(r"([^{}]*)\{\s*display: none !important;", print_css).group(1)
    selectors = {part.strip() for part in hidden.split(",")}
    for chrome in (".site-header", ".site-footer", ".skip-link", "form", "button", ".record-offer"):
        assert chrome in selectors
    for element in ("site-header", "site-footer", "site-search", "record-offer"):
        assert f'class="{element}"' in html
