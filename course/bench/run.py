"""The benchmark's run, in the parent process: a site per course size, served and measured.

It prepares each site in a subprocess, serves it with gunicorn, drives the scenarios
with wrk round after round, and stops everything it started.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from course.bench import ROUNDS, SCALED, SCENARIOS, BenchmarkError
from course.bench.report import best_of, machine, summarize, table
from course.bench.wrk import CONNECTIONS, THREADS, run_wrk

WORKERS = 2  # gunicorn's
# Questions in the quiz the 50 learners answer, per second of a scenario: 1000 answers/s.
ANSWERS_PER_SECOND = 20


def _site_env(site):
    """Production settings (DEBUG off) for one throwaway site."""
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{site / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(site / "static"),
        # Its own file cache (sessions, the content version), not the one the machine's
        # other sites share.
        DJANGO_CACHE_DIR=str(site / "cache"),
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
                if _get(base_url + reverse("health"), timeout=1) == 200:
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
                    "planned; raise ANSWERS_PER_SECOND in course/bench/run.py"
                )
            measured[key].append(result)
            # wrk has stopped, but requests it left queued may still be served: wait for
            # them (a request behind them, for each worker) before the next scenario.
            for _ in range(WORKERS):
                _get(base_url + reverse("health"), timeout=60)
            out(f"    {key:<3} {name:<26} {result['rps']:>8.1f} req/s, {result['errors']} errors")
    return {key: best_of(results) for key, results in measured.items()}


def run(*, seconds: int, large: int, json_path: Path, out: Callable[[str], None]) -> dict:
    """Measure a course of one section and one of `large` sections, `seconds` per scenario;
    print the progress and the table with `out`, write the figures to `json_path` as JSON
    and return them."""
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
