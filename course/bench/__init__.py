"""`make bench` (the `bench` command): how fast pages and quiz answers are next to the floor.

The floor is the fastest thing Django serves on the same machine (/healthz/ through the
same middleware); the benchmark also checks that speed holds as the course grows.
Absolute numbers vary from machine to machine; ratios measured side by side in one run
do not. README.md, "Benchmark", has the targets and a run.

For each course size, run.py makes a throwaway site in a temporary folder (SQLite
database, generated content, static files, learners and the wrk request files) by
running `manage.py bench --prepare` (prepare.py) with that site's production settings,
serves it with gunicorn on 127.0.0.1, drives each scenario with wrk (wrk.py) for a fixed
time, and stops everything it started; report.py turns the results into ratios, targets
and a table. generated_course.py writes the made-up course (`generate_course`).
"""

# key, what it measures, request file (e has one per round: answer-0.txt, ...)
SCENARIOS = [
    ("a", "floor: /healthz/", "floor"),
    ("b", "lesson, anonymous", "lesson"),
    ("c", "lesson, signed in", "lesson_user"),
    ("d", "course home, anonymous", "outline"),
    ("d+", "course home, signed in", "outline_user"),
    ("g", "chapter page, anonymous", "chapter"),
    ("g+", "chapter page, signed in", "chapter_user"),
    ("e", "quiz answer, htmx POST", "answer"),
    ("f", "lesson as a static file", "static"),
]
SCALED = ("a", "b", "d", "d+", "g", "g+", "e")  # run again on the large course; a is its floor
# Each scenario runs in ROUNDS slices, taking turns with the others, and its best slice
# counts: other work on the machine only ever slows a slice down.
ROUNDS = 3


class BenchmarkError(Exception):
    pass
