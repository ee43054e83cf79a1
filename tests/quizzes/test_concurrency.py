"""The real site under gunicorn with two workers, on the suite's own database engine:
a whole class at once, killed workers and racing submissions lose and double nothing."""

import http.client
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.html import answer_fields
from tests.site_server import Browser, start_site, stop_site

pytestmark = pytest.mark.system

LEARNERS = 50
LESSON = "/sections/inference-patterns/"
QUIZ_PAGE = "/sections/inference-patterns/quiz/"
QUIZ_START = "/sections/inference-patterns/quiz/start/"

CONSISTENCY = """
from quizzes.models import Attempt, LessonCompletion, Answer
from quizzes.checking import is_right
rows = []
attempts = Attempt.objects.prefetch_related(
    "answers__chosen", "answers__version__choices", "answers__parts")


def recompute(r):
    if r.version.in_parts:
        parts = list(r.parts.all())
        return bool(parts) and all(part.right for part in parts)
    return is_right(correct_ids=[c.pk for c in r.version.choices.all() if c.correct],
                    chosen_ids={c.pk for c in r.chosen.all()})


def given(r):
    return list(r.chosen.all()) or list(r.parts.all())


for attempt in attempts:
    responses = list(attempt.answers.select_related("version"))
    recomputed = [recompute(r) for r in responses]
    rows.append({
        "id": attempt.pk,
        "finished": attempt.finished_at is not None,
        "responses": len(responses),
        "question_count": attempt.question_count,
        "answered": sum(1 for r in responses if r.answered_at is not None),
        "answered_without_choice": sum(
            1 for r in responses if r.answered_at is not None and not given(r)),
        "choice_without_answer": sum(
            1 for r in responses if r.answered_at is None and given(r)),
        "scored_wrongly": sum(
            1 for r, right in zip(responses, recomputed)
            if r.answered_at is not None and r.correct != right),
        "right": sum(recomputed),
        "score": attempt.score,
        "correct_count": attempt.correct_count,
        "answered_positions": [r.position for r in responses if r.answered_at is not None],
    })
result = {"attempts": rows, "completions": LessonCompletion.objects.count()}
"""


@pytest.fixture
def site(tmp_path, static_root):
    server, drop = start_site(tmp_path, static_root)
    yield server
    stop_site(server, drop)


def begin_quiz(browser):
    """Open the lesson (for the CSRF cookie) and start the quiz; returns the attempt path."""
    assert browser.get(LESSON).status == 200
    started = browser.post(QUIZ_START, {})
    assert started.status == 302, started.status
    attempt_path = started.headers["location"]
    first = browser.get(attempt_path)
    assert first.status == 302
    return attempt_path, first.headers["location"]


def whole_learner(base_url):
    """One learner: mark the lesson read, take the whole quiz, finish. Returns statuses."""
    browser = Browser(base_url)
    statuses = []
    attempt_path, _first_question = begin_quiz(browser)
    statuses.append(browser.post(f"{LESSON.rstrip('/')}/complete/", {"complete": "1"}).status)
    position = 1
    while True:
        path = f"{attempt_path}questions/{position}/"
        page = browser.get(path)
        statuses.append(page.status)
        if page.status != 200:
            break
        fields = answer_fields(page.body)
        if not fields:
            break
        statuses.append(browser.post(path, fields, htmx=True).status)
        if "See your results" in browser.get(path).body:
            break
        position += 1
    finish = browser.post(f"{attempt_path}finish/", {})
    statuses.append(finish.status)
    statuses.append(browser.get(finish.headers.get("location", "/")).status)
    return statuses


def assert_consistent(site):
    report = site.query(CONSISTENCY)
    for attempt in report["attempts"]:
        assert attempt["responses"] == attempt["question_count"]
        assert attempt["answered_without_choice"] == 0
        assert attempt["choice_without_answer"] == 0
        assert attempt["scored_wrongly"] == 0
        if attempt["finished"]:
            assert attempt["answered"] == attempt["question_count"]
            assert attempt["correct_count"] == attempt["right"]
    return report


def test_a_whole_class_takes_the_quiz_at_once(site):
    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        results = list(pool.map(whole_learner, [site.url] * LEARNERS))
    statuses = [status for learner in results for status in learner]
    assert not [s for s in statuses if s >= 500], site.log_text()[-4000:]
    assert set(statuses) <= {200, 302}
    log = site.log_text()
    assert "database is locked" not in log
    assert "Traceback" not in log
    report = assert_consistent(site)
    finished = [a for a in report["attempts"] if a["finished"]]
    assert len(report["attempts"]) == len(finished) == LEARNERS
    assert all(a["answered"] == a["question_count"] for a in finished)
    assert report["completions"] == LEARNERS


def test_a_killed_worker_loses_no_acknowledged_answer(site):
    acknowledged = []
    answered = threading.Condition()  # notified at each acknowledged answer
    stop = threading.Event()

    def answer_until_stopped(_):
        browser = Browser(site.url)
        for _try in range(5):
            try:
                attempt_path, _first = begin_quiz(browser)
                break
            except (OSError, http.client.HTTPException):
                continue  # the worker died under this request; start again on another
        else:
            return
        attempt_id = int(attempt_path.rstrip("/").rsplit("/", 1)[1])
        position = 1
        while not stop.is_set():
            path = f"{attempt_path}questions/{position}/"
            try:
                page = browser.get(path)
                fields = answer_fields(page.body)
                if not fields:
                    break
                reply = browser.post(path, fields, htmx=True)
            except (OSError, http.client.HTTPException):
                continue  # the worker died under this request: not acknowledged
            if reply.status == 200 and "verdict" in reply.body:
                with answered:
                    acknowledged.append((attempt_id, position))
                    answered.notify_all()
                position += 1

    def more_answers_acknowledged(count):
        """Wait until `count` more answers are acknowledged; False if they never are."""
        with answered:
            target = len(acknowledged) + count
            return answered.wait_for(lambda: len(acknowledged) >= target, timeout=60)

    with ThreadPoolExecutor(max_workers=10) as pool:
        running = [pool.submit(answer_until_stopped, n) for n in range(10)]
        try:
            flowing = more_answers_acknowledged(10)  # kill only once answers are flowing
            for pid in site.worker_pids()[:1]:
                os.kill(pid, signal.SIGKILL)
            flowing_again = more_answers_acknowledged(10)  # and stop once they flow again
        finally:
            stop.set()
        for future in running:
            future.result()
    assert flowing, "no answers before the kill"
    assert flowing_again, "no answers after the kill"
    assert acknowledged
    report = assert_consistent(site)
    stored = {
        (attempt["id"], position)
        for attempt in report["attempts"]
        for position in attempt["answered_positions"]
    }
    assert set(acknowledged) <= stored


def race(count, action):
    barrier = threading.Barrier(count)

    def run(_):
        barrier.wait()
        return action()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_four_simultaneous_submissions_of_one_answer_store_one(site):
    browser = Browser(site.url)
    _attempt, question_path = begin_quiz(browser)
    fields = answer_fields(browser.get(question_path).body)
    statuses = sorted(
        reply.status for reply in race(4, lambda: browser.post(question_path, fields, htmx=True))
    )
    assert statuses == [200, 409, 409, 409], site.log_text()[-4000:]
    report = site.query(CONSISTENCY)
    (attempt,) = report["attempts"]
    assert attempt["answered"] == 1
    assert attempt["answered_without_choice"] == 0


def test_four_simultaneous_finishes_score_once(site):
    browser = Browser(site.url)
    attempt_path, _first = begin_quiz(browser)
    position = 1
    while True:
        path = f"{attempt_path}questions/{position}/"
        browser.post(path, answer_fields(browser.get(path).body), htmx=True)
        if "See your results" in browser.get(path).body:
            break
        position += 1
    replies = race(4, lambda: browser.post(f"{attempt_path}finish/", {}))
    assert {reply.status for reply in replies} == {302}
    report = assert_consistent(site)
    (attempt,) = report["attempts"]
    assert attempt["finished"]


def test_two_tabs_starting_the_same_quiz_get_one_attempt(site):
    browser = Browser(site.url)
    assert browser.get(LESSON).status == 200
    browser.post(f"{LESSON.rstrip('/')}/complete/", {"complete": "1"})
    replies = race(4, lambda: browser.post(QUIZ_START, {}))
    assert {reply.status for reply in replies} == {302}
    assert len({reply.headers["location"] for reply in replies}) == 1
    assert len(site.query(CONSISTENCY)["attempts"]) == 1


def test_a_new_visitors_double_start_makes_one_learner_and_one_attempt(site):
    """A double-clicked Start on a visitor's first visit: both requests leave before either
    answer's session cookie is back, so they share only the quiz page's CSRF cookie."""
    first_visit = Browser(site.url)
    assert first_visit.get(QUIZ_PAGE).status == 200
    assert set(first_visit.cookies) == {"csrftoken"}
    tabs = [Browser(site.url, cookies=dict(first_visit.cookies)) for _ in range(2)]
    waiting = list(tabs)
    replies = race(2, lambda: waiting.pop().post(QUIZ_START, {}))
    assert [reply.status for reply in replies] == [302, 302], site.log_text()[-4000:]
    attempt_paths = {reply.headers["location"] for reply in replies}
    assert len(attempt_paths) == 1
    counts = site.query(
        "from quizzes.models import Attempt, Learner\n"
        "result = [Learner.objects.count(), Attempt.objects.count()]"
    )
    assert counts == [1, 1]
    (attempt_path,) = attempt_paths
    for tab in tabs:
        # The tab's own session cookie, alone, opens the attempt.
        browser = Browser(site.url, cookies={"sessionid": tab.cookies["sessionid"]})
        opened = browser.get(attempt_path)
        assert opened.status == 302, opened.status
        assert browser.get(opened.headers["location"]).status == 200
