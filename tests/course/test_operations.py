"""Running the site: the secret key, backups, the client's address behind proxies, the
password-reset mail limits, and no cache keeping a learner's own pages."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, ReviewAnswer, ReviewItem
from quizzes.review import question_for
from tests.support import LEARNER_PASSWORD, choice_ids, manage, question_url

README = (settings.BASE_DIR / "README.md").read_text()


def readme_section(heading):
    return README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


# The secret key


def load_settings(secret_key):
    """Load the production settings in a process of their own with this DJANGO_SECRET_KEY."""
    code = "from django.conf import settings; print(len(settings.SECRET_KEY))"
    return manage("shell", "--no-imports", "-c", code, env={"DJANGO_SECRET_KEY": secret_key})


@pytest.mark.system
def test_an_empty_secret_key_is_refused_at_start_up():
    result = load_settings("")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.system
@pytest.mark.parametrize("weak", ["short-key", "ab" * 40])
def test_a_short_or_repetitive_secret_key_is_refused_with_the_rule(weak):
    result = load_settings(weak)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak: it needs at least 50 characters" in result.stderr
    assert "Traceback" not in result.stdout


@pytest.mark.system
def test_a_key_like_make_serve_makes_is_accepted():
    made = manage(
        "shell", "--no-imports", "-c", "import secrets; print(secrets.token_urlsafe(50))",
        env={"DJANGO_DEBUG": "1"}, check=True,
    ).stdout.strip()  # fmt: skip
    result = load_settings(made)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(made))


def test_the_readme_states_the_secret_key_rule():
    assert "at least 50 characters" in readme_section("Settings (environment variables)")


# Backups


@pytest.mark.system
def test_backup_creates_the_folder_it_writes_into(tmp_path):
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    assert manage("migrate", "-v0", env=env).returncode == 0
    target = tmp_path / "backups" / "nightly" / "course.sqlite3"
    result = manage("backup", target, env=env)
    assert result.returncode == 0, result.stderr
    assert "integrity check: ok" in result.stdout
    assert target.is_file()


@pytest.mark.system
def test_backup_says_why_it_cannot_make_the_folder(tmp_path):
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    assert manage("migrate", "-v0", env=env).returncode == 0
    (tmp_path / "a-file").write_text("not a folder")
    result = manage("backup", tmp_path / "a-file" / "course.sqlite3", env=env)
    assert result.returncode != 0
    assert "Cannot make the folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_restore_steps_say_the_secret_key_travels_with_the_database():
    backups = readme_section("Backups")
    assert "DJANGO_SECRET_KEY" in backups
    assert "same secret key" in backups


def test_every_environment_variable_the_settings_read_is_documented():
    source = (settings.BASE_DIR / "course" / "project" / "settings.py").read_text()
    table = readme_section("Settings (environment variables)")
    read = set(re.findall(r'"(DJANGO_[A-Z_]+)"', source)) - {"DJANGO_SETTINGS_MODULE"}
    assert {name for name in read if name not in table} == set()


def test_the_several_servers_section_names_the_proxy_setting():
    assert "DJANGO_TRUSTED_PROXIES" in readme_section(
        "Running on PostgreSQL and several app servers"
    )


# The login lockout behind a reverse proxy

PROXY = "10.0.0.1"
ADA = "203.0.113.5"
MALLORY = "198.51.100.7"


def behind_the_proxy(client_address, forged=""):
    """A client as the proxy forwards it: REMOTE_ADDR is the proxy's, the proxy appended
    the address it saw to whatever X-Forwarded-For the client sent."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture
def ada(db):
    return get_user_model().objects.create_user(
        "ada", email="ada@example.org", password=LEARNER_PASSWORD
    )


def fail_logins(client, username="ada"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


def log_in(client):
    return client.post(reverse("login"), {"username": "ada", "password": LEARNER_PASSWORD})


def test_behind_a_trusted_proxy_one_client_cannot_lock_another_out(ada, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    mallory = behind_the_proxy(MALLORY)
    fail_logins(mallory)
    assert log_in(mallory).status_code == 429
    assert log_in(behind_the_proxy(ADA)).status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout(ada, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in ["1.1.1.1", "2.2.2.2, 3.3.3.3", "not-an-address"]:
        fail_logins(behind_the_proxy(MALLORY, forged=forged))
    assert log_in(behind_the_proxy(MALLORY, forged="4.4.4.4")).status_code == 429


def test_two_trusted_proxies_take_the_second_address_from_the_right(ada, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    inner_proxy = "10.0.0.9"
    mallory = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{MALLORY}, {inner_proxy}")
    fail_logins(mallory)
    assert log_in(mallory).status_code == 429
    ada_client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{ADA}, {inner_proxy}")
    assert log_in(ada_client).status_code == 302


def test_without_trusted_proxies_the_header_is_ignored(ada):
    fail_logins(behind_the_proxy(MALLORY))
    # Everyone behind the proxy shares its address, as before the setting existed.
    assert log_in(behind_the_proxy(ADA)).status_code == 429


# Password-reset mail


def ask_for_reset(client, email="ada@example.org"):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    return response


def test_reset_mail_to_one_address_is_limited_to_a_few_an_hour(client, ada, clock):
    for _ in range(settings.PASSWORD_RESET_LIMIT + 2):
        ask_for_reset(client)
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "If an account has that address, a link to set a new password is on its way." in done
    clock.shift(timedelta(hours=1))
    ask_for_reset(client)
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT + 1


def test_every_spelling_of_an_address_counts_for_the_same_account(ada, clock):
    spellings = ["ada@example.org", "ADA@example.org", "Ada@Example.org", "ada@EXAMPLE.ORG"]
    for email in spellings:
        ask_for_reset(Client(), email)
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT


def test_reset_mail_for_another_account_still_goes_out(client, ada, clock):
    get_user_model().objects.create_user("bob", email="bob@example.org", password="x-42-y-bob")
    for _ in range(settings.PASSWORD_RESET_LIMIT + 1):
        ask_for_reset(client)
    ask_for_reset(client, "bob@example.org")
    assert mail.outbox[-1].to == ["bob@example.org"]


def test_reset_requests_from_one_client_address_are_limited(db, clock, settings):
    settings.PASSWORD_RESET_CLIENT_LIMIT = 2
    for name in ["a", "b", "c"]:
        get_user_model().objects.create_user(name, email=f"{name}@example.org", password="p-42-x-y")
    one_client = Client(REMOTE_ADDR=MALLORY)
    for name in ["a", "b", "c"]:
        ask_for_reset(one_client, f"{name}@example.org")
    assert [message.to for message in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    ask_for_reset(Client(REMOTE_ADDR=ADA), "c@example.org")
    assert mail.outbox[-1].to == ["c@example.org"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, ada):
    known = ask_for_reset(client)
    unknown = ask_for_reset(client, "nobody@example.org")
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1


# No cache keeps a learner's own pages


def assert_private(response, url):
    cache_control = response.get("Cache-Control", "")
    assert "private" in cache_control, (url, cache_control)
    assert "no-store" in cache_control, (url, cache_control)


@pytest.fixture
def learner_pages(client, small_course, clock):
    """A learner with progress of every kind: a lesson read, a finished attempt with every
    answer wrong, and, a day later, a review answered. Returns their pages' addresses."""
    client.post(reverse("quizzes:lesson_complete", args=[small_course.slug]), {"complete": 1})
    client.post(reverse("quizzes:start", args=[small_course.slug]))
    attempt = Attempt.objects.get()
    for answer in attempt.answers.all():
        wrong = choice_ids(attempt, answer.position, correct=False)[0]
        client.post(question_url(attempt, answer.position), {"choice": [wrong]})
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    clock.shift(timedelta(days=1))
    item = ReviewItem.objects.filter(due_at__isnull=False).first()
    version = question_for(item)
    review = {"question_version": version.pk, "turn": item.reviews}
    client.post(
        reverse("quizzes:review_answer", args=[item.pk]),
        {**review, "choice": [version.choices.first().pk]},
    )
    return [
        reverse("course:outline"),
        reverse("course:lesson", args=[small_course.slug]),
        reverse("quizzes:progress"),
        reverse("quizzes:review"),
        reverse("quizzes:review_result", args=[ReviewAnswer.objects.get().pk]),
        reverse("quizzes:quiz", args=[small_course.slug]),
        reverse("quizzes:attempt", args=[attempt.pk]),
        question_url(attempt, 1),
        reverse("quizzes:results", args=[attempt.pk]),
        reverse("login"),
        reverse("signup"),
        reverse("password_reset"),
        reverse("password_reset_done"),
    ]


def test_every_page_of_a_learner_with_progress_is_private_and_not_stored(client, learner_pages):
    for url in learner_pages:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_private(response, url)


def test_every_page_of_a_signed_in_learner_is_private_and_not_stored(client, learner_pages):
    client.post(
        reverse("signup"),
        {"username": "ada", "password1": LEARNER_PASSWORD, "password2": LEARNER_PASSWORD},
    )
    account_pages = [reverse("password_change"), reverse("password_change_done")]
    for url in [*learner_pages, *account_pages]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_private(response, url)


def test_a_visitor_without_progress_gets_the_shared_pages(client, small_course):
    for url in [reverse("course:outline"), reverse("course:lesson", args=[small_course.slug])]:
        response = client.get(url)
        assert "no-store" not in response.get("Cache-Control", ""), url
