"""Write a made-up course of N sections in the content/ format, for benchmarks.

Each lesson is about the size of a real one (headings, paragraphs, a table, a list) and
each quiz has a few questions of four choices; `import_content --check` accepts the
result. Sections are numbered 1.1 ... 1.10, 2.1 ..., ten to a chapter.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SECTIONS_PER_CHAPTER = 10
TOPICS = ("Overview", "Patterns", "Trade-offs", "Costs", "Security", "Operations", "Review")
PARAGRAPH = (
    "Section {number} explains {topic} with a worked scenario. A team weighs the "
    "decision window, the volume of inputs, the cost of each call and who reviews the "
    "output before it reaches a customer. The right choice is the simplest one that meets "
    "the timing and control needs; anything more adds cost without improving decisions."
)


def slug_of(number):
    return "section-" + number.replace(".", "-")


def section_number(index):
    """1 -> 1.1, 10 -> 1.10, 11 -> 2.1."""
    chapter, place = divmod(index - 1, SECTIONS_PER_CHAPTER)
    return f"{chapter + 1}.{place + 1}"


def heading_id(topic):
    return topic.lower()


def lesson_md(number):
    body = []
    for topic in TOPICS:
        body += [
            f"## {topic}",
            "",
            " ".join([PARAGRAPH.format(number=number, topic=topic.lower())] * 2),
            "",
        ]
    body += [
        "## Comparison",
        "",
        "| Pattern | Best fit | Question to ask |",
        "|---|---|---|",
        *(f"| Pattern {i} | Case {i} of {number} | Can the result wait? |" for i in range(1, 5)),
        "",
        "1. Identify when the decision must happen.",
        "2. Estimate the volume and the acceptable latency.",
        "3. Define what happens when the service fails.",
        "",
    ]
    takeaways = "".join(
        f'    "Takeaway {i} of section {number}: {TOPICS[i - 1].lower()} matter.",\n'
        for i in range(1, 5)
    )
    return (
        "+++\n"
        f'number = "{number}"\n'
        f'title = "Generated section {number}"\n'
        f'slug = "{slug_of(number)}"\n'
        f'summary = "What section {number} teaches, in one sentence for the outline."\n'
        "published = true\n"
        f"key_takeaways = [\n{takeaways}]\n"
        "+++\n\n" + "\n".join(body)
    )


def question_toml(number, position):
    topic = TOPICS[position % len(TOPICS)]
    right = position % 4 + 1
    lines = [
        "[[questions]]",
        f'prompt = "Question {position} of section {number}: which choice fits the scenario?"',
        'kind = "single"',
        f'explanation = "The lesson explains it under *{topic}*: choice {right} fits."',
        f'heading = "{heading_id(topic)}"',
        f"takeaway = {position % 4 + 1}",
        "",
    ]
    for choice in range(1, 5):
        correct = choice == right
        lines += [
            "[[questions.choices]]",
            f'text = "Choice {choice} for question {position}"',
            f"correct = {'true' if correct else 'false'}",
            f'feedback = "Right: see *{topic}*."'
            if correct
            else f'feedback = "Not this one: choice {choice} misses the {topic.lower()} point."',
            "",
        ]
    return "\n".join(lines) + "\n"


def quiz_toml(number, questions):
    header = f'title = "Quiz on section {number}"\npass_mark = 70\nshuffle = true\n\n'
    return header + "".join(question_toml(number, p) for p in range(1, questions + 1))


def write_course(directory, sections, *, questions=8, first_quiz_questions=None):
    """Write course.toml and `sections` section folders; returns the section numbers."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    chapters = (sections + SECTIONS_PER_CHAPTER - 1) // SECTIONS_PER_CHAPTER
    (directory / "course.toml").write_text(
        'title = "Generated course"\nslug = "generated-course"\n'
        f'description = "A made-up course of {sections} sections."\n\n[chapters]\n'
        + "".join(f'"{c}" = "Generated chapter {c}"\n' for c in range(1, chapters + 1))
    )
    numbers = [section_number(index) for index in range(1, sections + 1)]
    for index, number in enumerate(numbers, start=1):
        folder = directory / f"{number}-{slug_of(number)}"
        folder.mkdir(exist_ok=True)
        (folder / "lesson.md").write_text(lesson_md(number))
        count = first_quiz_questions if index == 1 and first_quiz_questions else questions
        (folder / "quiz.toml").write_text(quiz_toml(number, count))
    return numbers


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
