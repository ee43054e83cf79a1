"""The content/ format: the schema of a course as plain data, and the one writer of its files.

The dataclasses below are the schema: the reader (course/content/reader.py) checks each
table of the files against its dataclass's fields and reads it into one; the exporter
builds them from the database and writes them with the functions below. There is one way
to write each file (key order, quoting, blank lines), so import then export gives back the
same bytes, and a section's fingerprint (the hash of its files' text) says whether two
versions differ.
"""

import hashlib
import re
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import get_origin

FRONT_MATTER_FENCE = "+++"
# Escapes of a TOML basic string; other control characters become \uXXXX.
TOML_ESCAPES = {chr(code): f"\\u{code:04X}" for code in [*range(0x20), 0x7F]} | {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
# What needs an escape: an import fingerprints every section's files, tens of thousands
# of strings, and most have nothing to escape.
TOML_ESCAPE_RE = re.compile(r'[\x00-\x1f"\\\x7f]')
# The metadata of a dataclass field that is not a key of its table in the files.
NOT_A_KEY = {"key": False}


@dataclass
class ChoiceData:
    """A choice; a match question's option; an order question's item, in the right order.
    `correct` and `feedback` are required of single and multiple questions' choices."""

    text: str
    correct: bool = False
    feedback: str = ""
    # The choice's name within its question; made from the text when the file has none.
    key: str = ""


@dataclass
class PairData:
    """A match question's prompt and the key of the choice that answers it."""

    text: str
    answer: str
    feedback: str = ""
    key: str = ""


@dataclass
class QuestionData:
    prompt: str
    kind: str
    explanation: str
    heading: str
    takeaway: int
    choices: list[ChoiceData]
    # The question's name within its quiz; made from the prompt when the file has none.
    key: str = ""
    # Match questions only.
    reuse_options: bool = False
    pairs: list[PairData] = field(default_factory=list)


@dataclass
class QuizData:
    title: str
    pass_mark: int
    shuffle: bool
    questions: list[QuestionData]
    partial_credit: bool = False


@dataclass
class SectionData:
    """A lesson.md's front matter, its body, and the section's quiz.toml."""

    number: str
    title: str
    slug: str
    summary: str
    key_takeaways: list[str]
    published: bool
    body: str = field(metadata=NOT_A_KEY)
    quiz: QuizData | None = field(default=None, metadata=NOT_A_KEY)
    # The lesson.md it was read from; None when built from the database.
    path: Path | None = field(default=None, metadata=NOT_A_KEY)
    # The body's HTML and table of contents, rendered by the reader to check the quiz's
    # headings; the section is saved with them rather than rendered again.
    rendered: tuple[str, list[dict]] | None = field(
        default=None, repr=False, compare=False, metadata=NOT_A_KEY
    )


@dataclass
class CourseData:
    title: str
    slug: str
    description: str
    chapters: dict[str, str] = field(default_factory=dict)
    sections: list[SectionData] = field(default_factory=list, metadata=NOT_A_KEY)


@cache
def table_keys(data_class: type) -> dict[str, tuple[type, bool]]:
    """The keys a table of the files may hold: key -> (type, required), in the order of the
    dataclass's fields. A key is required unless its field has a default."""
    return {
        data_field.name: (
            get_origin(data_field.type) or data_field.type,
            data_field.default is MISSING and data_field.default_factory is MISSING,
        )
        for data_field in fields(data_class)
        if data_field.metadata.get("key", True)
    }


def clean_text(text: str) -> str:
    """A one-value text as the files hold it: Unix line ends, no surrounding blanks."""
    return text.replace("\r\n", "\n").strip()


def clean_body(text: str) -> str:
    """A lesson body as the files hold it: no blank lines around it, one final newline."""
    return text.replace("\r\n", "\n").strip("\n") + "\n"


def toml_string(text: str) -> str:
    escaped = TOML_ESCAPE_RE.sub(lambda match: TOML_ESCAPES[match[0]], text)
    return f'"{escaped}"'


def toml_bool(value: bool) -> str:
    return "true" if value else "false"


def course_toml(course: CourseData) -> str:
    lines = [
        f"title = {toml_string(course.title)}",
        f"slug = {toml_string(course.slug)}",
        f"description = {toml_string(course.description)}",
    ]
    if course.chapters:
        lines += ["", "[chapters]"]
        for number in sorted(course.chapters, key=int):
            lines.append(f"{toml_string(number)} = {toml_string(course.chapters[number])}")
    return "\n".join(lines) + "\n"


def lesson_md(section: SectionData) -> str:
    lines = [
        FRONT_MATTER_FENCE,
        f"number = {toml_string(section.number)}",
        f"title = {toml_string(section.title)}",
        f"slug = {toml_string(section.slug)}",
        f"summary = {toml_string(section.summary)}",
        f"published = {toml_bool(section.published)}",
        "key_takeaways = [",
        *[f"    {toml_string(takeaway)}," for takeaway in section.key_takeaways],
        "]",
        FRONT_MATTER_FENCE,
        "",
    ]
    return "\n".join(lines) + "\n" + section.body


def quiz_toml(quiz: QuizData) -> str:
    """Optional keys are written only when they say something (partial credit, reused
    options, a match option's or an order item's feedback), so files that leave them out
    come back unchanged."""
    lines = [
        f"title = {toml_string(quiz.title)}",
        f"pass_mark = {quiz.pass_mark}",
        f"shuffle = {toml_bool(quiz.shuffle)}",
    ]
    if quiz.partial_credit:
        lines.append("partial_credit = true")
    for question in quiz.questions:
        in_parts = question.kind not in ("single", "multiple")
        lines += [
            "",
            "[[questions]]",
            f"key = {toml_string(question.key)}",
            f"prompt = {toml_string(question.prompt)}",
            f"kind = {toml_string(question.kind)}",
            f"explanation = {toml_string(question.explanation)}",
            f"heading = {toml_string(question.heading)}",
            f"takeaway = {question.takeaway}",
        ]
        if question.reuse_options:
            lines.append("reuse_options = true")
        for pair in question.pairs:
            lines += [
                "",
                "[[questions.pairs]]",
                f"key = {toml_string(pair.key)}",
                f"text = {toml_string(pair.text)}",
                f"answer = {toml_string(pair.answer)}",
            ]
            if pair.feedback:
                lines.append(f"feedback = {toml_string(pair.feedback)}")
        for choice in question.choices:
            lines += [
                "",
                "[[questions.choices]]",
                f"key = {toml_string(choice.key)}",
                f"text = {toml_string(choice.text)}",
            ]
            if not in_parts:
                lines.append(f"correct = {toml_bool(choice.correct)}")
            if choice.feedback or not in_parts:
                lines.append(f"feedback = {toml_string(choice.feedback)}")
    return "\n".join(lines) + "\n"


def section_files(section: SectionData) -> dict[str, str]:
    """File name to text, for the files of one section's folder."""
    files = {"lesson.md": lesson_md(section)}
    if section.quiz is not None:
        files["quiz.toml"] = quiz_toml(section.quiz)
    return files


def fingerprint(section: SectionData) -> str:
    """A hash of the section's files, as written in this format: equal means same content."""
    digest = hashlib.sha256()
    for name, text in sorted(section_files(section).items()):
        digest.update(f"{name}\0{text}\0".encode())
    return digest.hexdigest()
