"""`make bench`: how fast pages and quiz answers are next to the fastest thing Django
serves on the same machine (/healthz/ through the same middleware), and whether that
holds as the course grows. Absolute numbers vary from machine to machine; ratios measured
side by side in one run do not. README.md, "Benchmark", has the targets and a run.

For each course size, `run` makes a throwaway site in a temporary folder (SQLite
database, generated content, static files, learners and the wrk request files) by
running `manage.py bench --prepare` with that site's production settings, serves it with
gunicorn on 127.0.0.1, drives each scenario with wrk for a fixed time, and stops
everything it started.
"""

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from importlib import import_module
from io import StringIO
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from course.models import Section
from quizzes import learners, scoring
from quizzes.models import Learner
from quizzes.progress import set_lesson_complete

SCRIPT = Path(__file__).parent / "bench" / "requests.lua"
THREADS, CONNECTIONS, WORKERS = 2, 50, 2
# Each scenario runs in ROUNDS slices, taking turns with the others, and its best slice
# counts: other work on the machine only ever slows a slice down.
ROUNDS = 3
LEARNERS = 50  # quiz takers answering at once, each in their own attempt
QUIZZES_TAKEN = 10  # finished quizzes of the logged-in learner, besides every lesson read
# Questions in the quiz the 50 learners answer, per second of a scenario: 1000 answers/s.
ANSWERS_PER_SECOND = 20

# key, what it measures, request file (e has one per round: answer-0.txt, ...)
SCENARIOS = [
    ("a", "floor: /healthz/", "floor"),
    ("b", "lesson, anonymous", "lesson"),
    ("c", "lesson, logged in", "lesson_user"),
    ("d", "outline, anonymous", "outline"),
    ("d+", "outline, logged in", "outline_user"),
    ("e", "quiz answer, htmx POST", "answer"),
    ("f", "lesson as a static file", "static"),
]
SCALED = ("a", "b", "d", "d+", "e")  # run again on the large course; a is its floor
RATIO_TARGETS = [("b", 0.5), ("c", 0.35), ("e", 0.25)]  # req/s of X / req/s of a, at least
SCALING_TARGET = 1.2  # cost with many sections / cost with 1, at most
IMPORT_TARGET = 10.0  # seconds to import the large course, under


class BenchmarkError(Exception):
    pass


# --- The site: runs in `manage.py bench --prepare`, with the site's own settings. ---


def _session_cookie(data):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update(data)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _take_quiz(learner, quiz):
    attempt = scoring.start_attempt(learner=learner, quiz=quiz)
    responses = attempt.answers.select_related("attempt", "question").prefetch_related(
        "question__choices"
    )
    for response in responses:
        right = [choice.pk for choice in response.question.choices.all() if choice.correct]
        scoring.answer_question(answer=response, raw_choice_ids=right)
    scoring.finish_attempt(attempt=attempt)


def logged_in_learner(sections):
    """A signed-in learner who read every lesson and passed a few quizzes; their cookie."""
    user = get_user_model().objects.create_user("bench-learner")  # no usable password
    learner = Learner.objects.create(user=user)
    for section in sections:
        set_lesson_complete(learner=learner, section=section, complete=True)
    for section in sections[1 : QUIZZES_TAKEN + 1]:
        _take_quiz(learner, section.quiz)
    return _session_cookie(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )


def _line(method, path, body="", **headers):
    fields = [method, path, body, *(f"{name}: {value}" for name, value in headers.items())]
    return "\t".join(fields)


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


def prepare(directory, *, sections, answer_questions):
    """Make the site in `directory`: database, content, static files, request files."""
    directory = Path(directory)
    call_command("migrate", verbosity=0)
    content = directory / "content"
    call_command(
        "generate_course",
        str(content),
        sections=sections,
        first_quiz_questions=answer_questions,
        stdout=StringIO(),
    )
    started = time.perf_counter()
    call_command("import_content", str(content), stdout=StringIO())
    import_seconds = time.perf_counter() - started
    call_command("collectstatic", interactive=False, verbosity=0)

    published = list(Section.objects.published().select_related("quiz"))
    lesson = published[len(published) // 2].get_absolute_url()
    static = Path(settings.STATIC_ROOT) / "bench" / "lesson.html"
    static.parent.mkdir(parents=True, exist_ok=True)
    page = Client(SERVER_NAME="127.0.0.1").get(lesson)
    if page.status_code != 200:
        raise BenchmarkError(f"{lesson} answered {page.status_code} while preparing")
    static.write_bytes(page.content)
    user = logged_in_learner(published)
    requests = {
        "floor": [_line("GET", reverse("course:health"))],
        "lesson": [_line("GET", lesson)],
        "lesson_user": [_line("GET", lesson, Cookie=user)],
        "outline": [_line("GET", reverse("course:outline"))],
        "outline_user": [_line("GET", reverse("course:outline"), Cookie=user)],
        "static": [_line("GET", f"{settings.STATIC_URL}bench/lesson.html")],
    }
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


# --- The run: the parent process, which starts and stops everything. ---


def parse_wrk(output):
    """Read the BENCH_RESULT line that course/bench/requests.lua prints."""
    for line in output.splitlines():
        if line.startswith("BENCH_RESULT "):
            raw = json.loads(line.removeprefix("BENCH_RESULT "))
            break
    else:
        raise BenchmarkError(f"wrk printed no BENCH_RESULT line:\n{output}")
    seconds = raw["duration_us"] / 1_000_000
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["non2xx"] + raw["socket_errors"],
        "non2xx": raw["non2xx"],
        "socket_errors": raw["socket_errors"],
        "wrapped": raw["wrapped"],
    }


def run_wrk(base_url, requests_file, seconds):
    options = f"-t{THREADS} -c{CONNECTIONS} -d{seconds}s --timeout 10s".split()
    command = ["wrk", *options, "-s", str(SCRIPT), base_url]
    command += ["--", str(requests_file), str(THREADS)]  # the script's own arguments
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise BenchmarkError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def _site_env(site):
    """Production settings (DEBUG off) for one throwaway site."""
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{site / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(site / "static"),
    )
    return env


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


@contextmanager
def serve(site, env):
    """gunicorn on the site; stopped, with its workers, however the block ends."""
    address = f"127.0.0.1:{_free_port()}"
    base_url = f"http://{address}"
    log = open(site / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    options = f"--bind {address} --workers {WORKERS} --log-level warning".split()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "course.project.wsgi", *options],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the workers stop with it
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise BenchmarkError(f"gunicorn exited:\n{(site / 'gunicorn.log').read_text()}")
            try:
                if _get(base_url + reverse("course:health"), timeout=1) == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchmarkError("gunicorn did not answer within 30 s") from None
                time.sleep(0.2)
        yield base_url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wrk": wrk.strip(),
        "load_average_before": os.getloadavg()[0],
    }


def summarize(results, imports, large):
    """Ratios and targets from the scenario results (a list of dicts)."""
    rps = {(r["key"], r["sections"]): r["rps"] for r in results}
    errors = {(r["key"], r["sections"]): r["errors"] for r in results}
    targets = []
    for key, target in RATIO_TARGETS:
        value = rps[key, 1] / rps["a", 1]
        clean = key != "e" or errors[key, 1] == 0
        targets.append(
            {
                "what": f"{key}/a" + (" with 0 errors" if key == "e" else ""),
                "value": round(value, 3),
                "target": f">= {target}",
                "met": value >= target and clean,
            }
        )
    for key in SCALED[1:]:
        # Cost is time per request relative to the floor measured on the same server,
        # so a machine busier during one of the two runs does not tilt the comparison.
        value = (rps[key, 1] / rps["a", 1]) / (rps[key, large] / rps["a", large])
        targets.append(
            {
                "what": f"{key} cost, {large} sections / 1",
                "value": round(value, 3),
                "target": f"<= {SCALING_TARGET}",
                "met": value <= SCALING_TARGET and errors[key, large] == 0,
            }
        )
    seconds = imports[large]
    targets.append(
        {
            "what": f"import of {large} sections, s",
            "value": round(seconds, 2),
            "target": f"< {IMPORT_TARGET}",
            "met": seconds < IMPORT_TARGET,
        }
    )
    return targets


def table(results, targets):
    lines = [
        f"{'scenario':<32} {'sections':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    ]
    for r in results:
        lines.append(
            f"{r['key'] + '  ' + r['name']:<32} {r['sections']:>8} {r['rps']:>9.1f} "
            f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}"
        )
    lines += ["", f"{'ratio':<32} {'value':>8} {'target':>9}"]
    for t in targets:
        verdict = "met" if t["met"] else "MISSED"
        lines.append(f"{t['what']:<32} {t['value']:>8} {t['target']:>9}  {verdict}")
    return "\n".join(lines)


def best_of(rounds):
    """A scenario's best round, with the errors of all its rounds."""
    best = max(rounds, key=lambda result: result["rps"])
    errors = sum(result["errors"] for result in rounds)
    return best | {"errors": errors, "rounds_rps": [round(r["rps"], 1) for r in rounds]}


def measure(base_url, site, keys, seconds, out):
    """Run the scenarios in turn, round after round; their best rounds, by key."""
    rounds = min(ROUNDS, seconds)
    measured = {key: [] for key in keys}
    for number in range(rounds):
        out(f"  round {number + 1} of {rounds}:")
        for key, name, file in SCENARIOS:
            if key not in keys:
                continue
            requests_file = site / (f"answer-{number}.txt" if key == "e" else f"{file}.txt")
            result = run_wrk(base_url, requests_file, max(1, round(seconds / rounds)))
            if result["wrapped"] and key == "e":
                raise BenchmarkError(
                    "the quiz takers ran out of questions: this machine answers faster than "
                    "planned; raise ANSWERS_PER_SECOND in course/benchmark.py"
                )
            measured[key].append(result)
            # wrk has stopped, but requests it left queued may still be served: wait for
            # them (a request behind them, for each worker) before the next scenario.
            for _ in range(WORKERS):
                _get(base_url + reverse("course:health"), timeout=60)
            out(f"    {key:<3} {name:<26} {result['rps']:>8.1f} req/s, {result['errors']} errors")
    return {key: best_of(results) for key, results in measured.items()}


def run(*, seconds, large, json_path, out):
    if shutil.which("wrk") is None:
        raise BenchmarkError("wrk is missing: run 'make bench' (it installs Debian's wrk).")
    info = machine()
    # Enough questions that no learner runs out before wrk stops.
    answer_questions = max(200, ANSWERS_PER_SECOND * seconds)
    results, imports = [], {}
    with tempfile.TemporaryDirectory(prefix="course-bench-") as folder:
        for size in (1, large):
            site = Path(folder) / f"site-{size}"
            site.mkdir()
            env = _site_env(site)
            out(f"Preparing a course of {size} section(s)...")
            options = f"--sections {size} --answer-questions {answer_questions}".split()
            prepared = subprocess.run(
                [sys.executable, "manage.py", "bench", "--prepare", str(site), *options],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
            )
            if prepared.returncode != 0:
                raise BenchmarkError(f"preparing failed:\n{prepared.stdout}{prepared.stderr}")
            details = json.loads((site / "site.json").read_text())
            imports[size] = details["import_seconds"]
            keys = [key for key, _, _ in SCENARIOS if size == 1 or key in SCALED]
            with serve(site, env) as base_url:
                _get(base_url + details["lesson"])  # warm up: templates, connections
                best = measure(base_url, site, keys, seconds, out)
            names = {key: name for key, name, _ in SCENARIOS}
            results += [{"key": k, "name": names[k], "sections": size, **best[k]} for k in keys]
    targets = summarize(results, imports, large)
    report = {
        "machine": info | {"load_average_after": os.getloadavg()[0]},
        "settings": {
            "seconds_per_scenario": seconds,
            "rounds": min(ROUNDS, seconds),
            "wrk": f"-t{THREADS} -c{CONNECTIONS}",
            "gunicorn_workers": WORKERS,
            "database": "SQLite (default settings)",
            "answer_questions_per_learner": answer_questions,
        },
        "import_seconds": {str(size): round(s, 2) for size, s in imports.items()},
        "results": results,
        "targets": targets,
    }
    out("")
    out(table(results, targets))
    json_path = Path(json_path)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, indent=2) + "\n")
    out(f"\nWritten to {json_path}.")
    return report
