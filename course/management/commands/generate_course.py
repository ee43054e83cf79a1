"""Write a made-up course of N sections in the content/ format, for benchmarks (course/bench/)."""

from django.core.management.base import BaseCommand, CommandError

from course.bench.generated_course import write_course


class Command(BaseCommand):
    help = "Write a generated course of N sections in the content/ format to a folder."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder to write (created if missing).")
        parser.add_argument("--sections", type=int, default=3)
        parser.add_argument("--questions", type=int, default=8, help="Questions per quiz.")
        parser.add_argument(
            "--first-quiz-questions",
            type=int,
            default=None,
            help="Questions in section 1.1's quiz instead (the benchmark answers many).",
        )

    def handle(self, *args, directory, sections, questions, first_quiz_questions, **options):
        if sections < 1 or questions < 1:
            raise CommandError("--sections and --questions must be at least 1.")
        numbers = write_course(
            directory, sections, questions=questions, first_quiz_questions=first_quiz_questions
        )
        self.stdout.write(f"Wrote {len(numbers)} sections to {directory}.")
