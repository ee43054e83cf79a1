"""Make a throwaway site to benchmark: runs in `manage.py bench --prepare`, with its settings.

The site gets its database, a generated course, static files, learners, and the files
of requests wrk sends (see requests.lua).
"""

import json
import time
from importlib import import_module
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from course.bench import ROUNDS, BenchmarkError
from course.bench.generated_course import write_course
from course.models import Section
from quizzes import learners, scoring
from quizzes.learners import LOGIN_BACKEND
from quizzes.models import Learner
from quizzes.progress import set_lesson_complete

LEARNERS = 50  # quiz takers answering at once, each in their own attempt
QUIZZES_TAKEN = 10  # finished quizzes of the logged-in learner, besides every lesson read


def _session_cookie(data):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update(data)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _take_quiz(learner, quiz):
    attempt = scoring.start_attempt(learner=learner, quiz=quiz)
    answers = attempt.answers.select_related("attempt", "question").prefetch_related(
        "question__choices"
    )
    for answer in answers:
        right = [choice.pk for choice in answer.question.choices.all() if choice.correct]
        scoring.answer_question(answer=answer, raw_choice_ids=right)
    scoring.finish_attempt(attempt=attempt)


def _cookies(jar, *names):
    """The Cookie header of a browser that holds the cookies `names` of `jar`."""
    missing = [name for name in names if not jar.get(name)]
    if missing:
        raise BenchmarkError(f"no {', '.join(missing)} cookie while preparing")
    return "; ".join(f"{name}={jar[name].value}" for name in names)


def logged_in_learner(sections):
    """A signed-in learner who read every lesson and passed a few quizzes; the cookies
    of their browser, session and CSRF token, as a Cookie header."""
    user = get_user_model().objects.create_user("bench-learner")  # no usable password
    learner = Learner.objects.create(user=user)
    for section in sections:
        set_lesson_complete(learner=learner, section=section, complete=True)
    for section in sections[1 : QUIZZES_TAKEN + 1]:
        _take_quiz(learner, section.quiz)
    browser = Client(SERVER_NAME="127.0.0.1")
    browser.force_login(user, backend=LOGIN_BACKEND)
    # A page with a form (the header's Log out) gives the browser its CSRF cookie;
    # without it each measured response would mint a token no browser would ask for.
    browser.get(reverse("course:outline"))
    return _cookies(browser.cookies, settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)


def _line(method, path, body="", **headers):
    fields = [method, path, body, *(f"{name}: {value}" for name, value in headers.items())]
    return "\t".join(fields)


def _check(line):
    """Send one request line through Django as wrk would send it; it must answer 200.
    wrk counts only statuses above 399 as errors, so a redirect would pass unnoticed."""
    method, path, body, *fields = line.split("\t")
    headers = dict(field.split(": ", 1) for field in fields)
    content_type = headers.pop("Content-Type", "application/octet-stream")
    client = Client(SERVER_NAME="127.0.0.1", enforce_csrf_checks=True)
    response = client.generic(method, path, body, content_type=content_type, headers=headers)
    if response.status_code != 200:
        raise BenchmarkError(f"{method} {path} answered {response.status_code} while preparing")
    return response


def answer_lines(quiz, count):
    """`count` anonymous learners, each with an attempt at `quiz` and their own session
    and CSRF token; one POST per learner and question, position by position, so that
    wrk's threads (every other line) each answer their own learners' questions in order."""
    per_learner = []
    for _ in range(count):
        learner = Learner.objects.create()
        attempt = scoring.start_attempt(learner=learner, quiz=quiz)
        token = get_random_string(32, CSRF_ALLOWED_CHARS)
        headers = {
            "Cookie": f"{_session_cookie({learners.SESSION_KEY: learner.pk})}; "
            f"{settings.CSRF_COOKIE_NAME}={token}",
            "X-CSRFToken": token,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        per_learner.append(
            [
                _line(
                    "POST",
                    reverse("quizzes:question", args=[attempt.pk, position]),
                    f"choice={attempt.choice_order[str(question_id)][0]}",
                    **headers,
                )
                for position, question_id in attempt.answers.order_by("position").values_list(
                    "position", "question_id"
                )
            ]
        )
    return [line for lines in zip(*per_learner, strict=True) for line in lines]


def prepare_site(directory: Path, *, sections: int, answer_questions: int) -> None:
    """Make the site in `directory`: database, content, static files, request files."""
    directory = Path(directory)
    call_command("migrate", verbosity=0)
    content = directory / "content"
    write_course(content, sections, first_quiz_questions=answer_questions)
    started = time.perf_counter()
    call_command("import_content", str(content), stdout=StringIO())
    import_seconds = time.perf_counter() - started
    call_command("collectstatic", interactive=False, verbosity=0)

    published = list(Section.objects.published().select_related("quiz"))
    middle = published[len(published) // 2]
    lesson = middle.get_absolute_url()
    home = reverse("course:outline")
    chapter = reverse("course:chapter", args=[middle.chapter])
    # Anonymous pages are asked for by a returning browser: it holds the CSRF cookie a
    # lesson's form gave it on its first visit, and no session.
    first_visit = _check(_line("GET", lesson))
    anonymous = _cookies(first_visit.cookies, settings.CSRF_COOKIE_NAME)
    user = logged_in_learner(published)
    requests = {
        "floor": [_line("GET", reverse("health"))],
        "lesson": [_line("GET", lesson, Cookie=anonymous)],
        "lesson_user": [_line("GET", lesson, Cookie=user)],
        "outline": [_line("GET", home, Cookie=anonymous)],
        "outline_user": [_line("GET", home, Cookie=user)],
        "chapter": [_line("GET", chapter, Cookie=anonymous)],
        "chapter_user": [_line("GET", chapter, Cookie=user)],
        "static": [_line("GET", f"{settings.STATIC_URL}bench/lesson.html", Cookie=anonymous)],
    }
    static = Path(settings.STATIC_ROOT) / "bench" / "lesson.html"
    static.parent.mkdir(parents=True, exist_ok=True)
    static.write_bytes(first_visit.content)
    for lines in requests.values():
        _check(lines[0])
    # A quiz answer is checked on a learner of its own: the measured ones answer once.
    _check(answer_lines(published[0].quiz, 1)[0])
    # Each round answers its own questions: positions 1 to n/ROUNDS, and so on.
    answers = answer_lines(published[0].quiz, LEARNERS)
    per_round = len(answers) // ROUNDS // LEARNERS * LEARNERS
    for number in range(ROUNDS):
        requests[f"answer-{number}"] = answers[number * per_round : (number + 1) * per_round]
    for name, lines in requests.items():
        (directory / f"{name}.txt").write_text("\n".join(lines) + "\n")
    (directory / "site.json").write_text(
        json.dumps({"import_seconds": import_seconds, "lesson": lesson})
    )
