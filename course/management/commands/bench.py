"""`manage.py bench` (`make bench`): the benchmark of course/bench/, run and reported."""

import argparse
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from course.bench import BenchmarkError
from course.bench.prepare import prepare_site
from course.bench.run import run


class Command(BaseCommand):
    help = (
        "Benchmark the site under gunicorn with wrk and print requests/s, p50, p99, errors "
        "and the ratios to the /healthz/ floor (README.md, Benchmark). `make bench` runs it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds",
            type=int,
            default=int(os.environ.get("BENCH_SECONDS", "12")),
            help="Time per scenario, in three rounds (default: $BENCH_SECONDS or 12).",
        )
        parser.add_argument(
            "--sections", type=int, default=500, help="Size of the large course (default 500)."
        )
        parser.add_argument(
            "--json",
            default=str(settings.BASE_DIR / "artifacts" / "bench.json"),
            help="Where to write the results as JSON.",
        )
        # Internal: `bench` runs itself with --prepare to make each throwaway site.
        parser.add_argument("--prepare", metavar="FOLDER", help=argparse.SUPPRESS)
        parser.add_argument("--answer-questions", type=int, default=200, help=argparse.SUPPRESS)

    def handle(self, *args, seconds, sections, json, prepare, answer_questions, **options):
        try:
            if prepare:
                prepare_site(prepare, sections=sections, answer_questions=answer_questions)
                return
            if seconds < 1 or sections < 2:
                raise CommandError("--seconds must be at least 1 and --sections at least 2.")
            run(seconds=seconds, large=sections, json_path=json, out=self.stdout.write)
        except BenchmarkError as error:
            raise CommandError(str(error)) from None
