"""A made-up course of N sections, written in the content/ format (`generate_course`).

Each lesson is about the size of a real one (headings, paragraphs, a table, a list) and
each quiz has a few questions of four choices; `import_content --check` accepts the
result. Sections are numbered 1.1 ... 1.10, 2.1 ..., ten to a chapter. The files are
written by course/content/format.py, as export_content writes them.
"""

from pathlib import Path

from course.content.format import (
    ChoiceData,
    CourseData,
    QuestionData,
    QuizData,
    SectionData,
    course_toml,
    section_files,
)

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


def lesson_body(number):
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
    ]
    return "\n".join(body) + "\n"


def question(number, position):
    topic = TOPICS[position % len(TOPICS)]
    right = position % 4 + 1
    return QuestionData(
        prompt=f"Question {position} of section {number}: which choice fits the scenario?",
        kind="single",
        explanation=f"The lesson explains it under *{topic}*: choice {right} fits.",
        heading=heading_id(topic),
        takeaway=position % 4 + 1,
        choices=[
            ChoiceData(
                text=f"Choice {choice} for question {position}",
                correct=choice == right,
                feedback=f"Right: see *{topic}*."
                if choice == right
                else f"Not this one: choice {choice} misses the {topic.lower()} point.",
                key=f"choice-{choice}",
            )
            for choice in range(1, 5)
        ],
        key=f"question-{position}",
    )


def section(number, questions):
    return SectionData(
        number=number,
        title=f"Generated section {number}",
        slug=slug_of(number),
        summary=f"What section {number} teaches, in one sentence for the outline.",
        key_takeaways=[
            f"Takeaway {i} of section {number}: {TOPICS[i - 1].lower()} matter."
            for i in range(1, 5)
        ],
        published=True,
        body=lesson_body(number),
        quiz=QuizData(
            title=f"Quiz on section {number}",
            pass_mark=70,
            shuffle=True,
            questions=[question(number, position) for position in range(1, questions + 1)],
        ),
    )


def write_course(
    directory: Path, sections: int, *, questions: int = 8, first_quiz_questions: int | None = None
) -> list[str]:
    """Write course.toml and `sections` section folders; returns the section numbers."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    chapters = (sections + SECTIONS_PER_CHAPTER - 1) // SECTIONS_PER_CHAPTER
    course = CourseData(
        title="Generated course",
        slug="generated-course",
        description=f"A made-up course of {sections} sections.",
        chapters={str(c): f"Generated chapter {c}" for c in range(1, chapters + 1)},
    )
    (directory / "course.toml").write_text(course_toml(course))
    numbers = [section_number(index) for index in range(1, sections + 1)]
    for index, number in enumerate(numbers, start=1):
        folder = directory / f"{number}-{slug_of(number)}"
        folder.mkdir(exist_ok=True)
        count = first_quiz_questions if index == 1 and first_quiz_questions else questions
        for name, text in section_files(section(number, count)).items():
            (folder / name).write_text(text)
    return numbers
