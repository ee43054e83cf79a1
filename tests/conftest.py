import os
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from course.instructors import make_instructor
from course.models import Section
from quizzes.models import Attempt
from tests.builders import write_course
from tests.site_server import collect_static
from tests.support import INSTRUCTOR_PASSWORD, START, answer_form, question_url

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run beside one unless told it is safe, which it is for these one-thread tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    # Tests do not run collectstatic: static files come from the finders, without a
    # manifest. Set before any server (live_server included) loads its middleware.
    config_dir = Path(tempfile.mkdtemp(prefix="staticfiles-"))
    settings.STATIC_ROOT = config_dir
    settings.WHITENOISE_USE_FINDERS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The machine-wide cache (sessions, the content version) in a folder of the tests' own.
    shared = {**settings.CACHES["shared"], "LOCATION": tempfile.mkdtemp(prefix="cache-")}
    settings.CACHES = {**settings.CACHES, "shared": shared}


@pytest.fixture(autouse=True)
def test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for each in caches.all():  # pages, fragments, the content version, sessions
        each.clear()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once, for tests that serve the site with gunicorn."""
    root = tmp_path_factory.mktemp("collected")
    collect_static(root)
    return root


@pytest.fixture
def instructor(db):
    """A staff account in the Instructors group, as `createinstructor` makes it."""
    return make_instructor("ines", password=INSTRUCTOR_PASSWORD)


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def seed_course(db):
    """The project's real content/ imported: section 2.4 and its quiz."""
    call_command("import_content", str(settings.BASE_DIR / "content"), verbosity=0)
    return Section.objects.get(slug="inference-patterns")


@pytest.fixture
def small_course(db, tmp_path):
    """One section (1.1, slug section-1) with a four-question quiz, choices unshuffled."""
    call_command("import_content", str(write_course(tmp_path / "content")), verbosity=0)
    return Section.objects.get(slug="section-1")


@pytest.fixture
def course_of(db, tmp_path):
    """Import a generated course of n sections; returns the published sections."""

    def build(sections, **options):
        folder = write_course(tmp_path / f"content-{sections}", sections, **options)
        call_command("import_content", str(folder), verbosity=0)
        return list(Section.objects.published())

    return build


@pytest.fixture
def start_quiz(client):
    """Start (or resume) the quiz of a section as the client's learner; returns the attempt."""

    def start(section, using=None):
        (using or client).post(reverse("quizzes:start", args=[section.slug]))
        return Attempt.objects.filter(quiz=section.quiz).order_by("-pk").first()

    return start


@pytest.fixture
def answer_all(client):
    """Answer every question of an attempt, rightly when `right` is set."""

    def answer(attempt, *, right=True, using=None):
        for position in range(1, attempt.question_count + 1):
            form = answer_form(attempt, position, right=right)
            (using or client).post(question_url(attempt, position), form)
        return attempt

    return answer


@pytest.fixture
def clock():
    """The time stopped at START; move it with `clock.move_to(...)`."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
