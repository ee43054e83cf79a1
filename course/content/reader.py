"""Read and validate a content folder into a CourseData, collecting every problem found.

content/ holds course.toml and, per section folder, lesson.md (TOML front matter between
+++ lines, then the Markdown body) and an optional quiz.toml. Every file is read and
checked before anything is written: a problem names its file, field and line, and all of
them are reported at once.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from course.content.format import (
    FRONT_MATTER_FENCE,
    ChoiceData,
    CourseData,
    PairData,
    QuestionData,
    QuizData,
    SectionData,
    clean_body,
    table_keys,
)
from course.models import SECTION_NUMBER_RE, section_sort_key
from course.rendering import missing_heading, render_lesson
from quizzes.models import Question, choice_set_problems, key_from, pair_problems

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
KINDS = [kind for kind, _label in Question.KINDS]
KINDS_TEXT = ", ".join(f'"{kind}"' for kind in KINDS[:-1]) + f' or "{KINDS[-1]}"'
KEY_RULE = "use up to 60 letters, numbers, hyphens and underscores, such as batch-nightly"
TOML_POSITION_RE = re.compile(r"\s*\(at line (?P<line>\d+), column \d+\)|\s*\(at end of document\)")


@dataclass
class Problem:
    path: Path
    message: str
    field: str = ""
    line: int | None = None

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


class ContentError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _TomlFile:
    """A parsed TOML document that can say on which line a key of a table sits."""

    def __init__(self, path, text, first_line=1):
        self.path = path
        self.lines = text.splitlines()
        self.first_line = first_line
        self.problems = []

    def line_of(self, key, after=0):
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for index in range(after, len(self.lines)):
            if pattern.match(self.lines[index]):
                return index + self.first_line
        return None

    def header_lines(self, header, after=0, before=None):
        """0-based indexes of lines such as `[[questions]]` in a range."""
        end = len(self.lines) if before is None else before
        return [i for i in range(after, end) if self.lines[i].strip() == header]

    def problem(self, message, key="", line=None, after=0):
        if line is None and key:
            line = self.line_of(key.split(".")[-1], after)
        self.problems.append(Problem(self.path, message, key, line))

    def check_table(self, table, data_class, *, prefix="", after=0):
        """Check a table against the keys of the dataclass it is read into (format.py).
        Returns False when a key is unknown, missing or of the wrong type."""
        keys = table_keys(data_class)
        ok = True
        for key in table:
            if key not in keys:
                self.problem(f"unknown key (allowed: {', '.join(keys)})", prefix + key, after=after)
                ok = False
        for key, (kind, required) in keys.items():
            if key not in table:
                if required:
                    self.problem("missing key", prefix + key, line=after + self.first_line)
                    ok = False
                continue
            value = table[key]
            wrong_type = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
            if wrong_type:
                self.problem(f"must be {_type_name(kind)}", prefix + key, after=after)
                ok = False
        return ok


def _type_name(kind):
    return {str: "text", bool: "true or false", int: "a whole number", list: "a list"}.get(
        kind, kind.__name__
    )


def _parse_toml(path, text, problems, first_line=1):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.12's error carries its position only in its message.
        found = TOML_POSITION_RE.search(str(error))
        line = int(found["line"]) + first_line - 1 if found else None
        message = TOML_POSITION_RE.sub("", str(error)).strip()
        problems.append(Problem(path, f"malformed TOML: {message}", "", line))
        return None


def _read_text(path, problems):
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path, "not UTF-8 text"))
    except OSError as error:
        problems.append(Problem(path, f"cannot read: {error.strerror}"))
    return None


def _read_toml(path, problems):
    """A TOML file's table and the _TomlFile to check it with; (None, None) if it cannot
    be read or parsed, the reason added to `problems`."""
    text = _read_text(path, problems)
    data = None if text is None else _parse_toml(path, text, problems)
    if data is None:
        return None, None
    return data, _TomlFile(path, text)


def _read_course(path, problems):
    data, toml = _read_toml(path, problems)
    if data is None:
        return None
    ok = toml.check_table(data, CourseData)
    chapters = data.get("chapters", {})
    if isinstance(chapters, dict):
        for key, value in chapters.items():
            if not key.isdigit() or not isinstance(value, str):
                toml.problem(
                    'chapter titles map a number to text, e.g. "2" = "Title"',
                    f"chapters.{key}",
                    after=0,
                )
                ok = False
    if ok and not SLUG_RE.match(data["slug"]):
        toml.problem("use letters, numbers, hyphens and underscores only", "slug")
    if ok and not data["title"].strip():
        toml.problem("must not be empty", "title")
    problems.extend(toml.problems)
    if not ok or toml.problems:
        return None
    return CourseData(
        title=data["title"].strip(),
        slug=data["slug"],
        description=data["description"].strip(),
        chapters={k: v.strip() for k, v in chapters.items()},
    )


def _split_front_matter(path, text, problems):
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        problems.append(Problem(path, "must start with a +++ line of TOML front matter", "", 1))
        return None, None
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    problems.append(Problem(path, "front matter has no closing +++ line", "", 1))
    return None, None


def _read_lesson(path, problems):
    text = _read_text(path, problems)
    if text is None:
        return None
    front, body = _split_front_matter(path, text, problems)
    if front is None:
        return None
    data = _parse_toml(path, front, problems, first_line=2)
    if data is None:
        return None
    toml = _TomlFile(path, front, first_line=2)
    if toml.check_table(data, SectionData):
        if not SECTION_NUMBER_RE.match(data["number"]):
            toml.problem("use numbers separated by dots, such as 2.4", "number")
        if not SLUG_RE.match(data["slug"]):
            toml.problem("use letters, numbers, hyphens and underscores only", "slug")
        if not data["title"].strip():
            toml.problem("must not be empty", "title")
        takeaways = data["key_takeaways"]
        if not takeaways or not all(isinstance(t, str) and t.strip() for t in takeaways):
            toml.problem("must be a list of one or more non-empty texts", "key_takeaways")
        if not body.strip():
            toml.problems.append(
                Problem(path, "the lesson has no text after the front matter", "body")
            )
    problems.extend(toml.problems)
    if toml.problems:
        return None
    return SectionData(
        path=path,
        number=data["number"],
        title=data["title"].strip(),
        slug=data["slug"],
        summary=data["summary"].strip(),
        key_takeaways=[t.strip() for t in data["key_takeaways"]],
        published=data["published"],
        body=clean_body(body),
    )


def _read_quiz(path, section, problems):
    data, toml = _read_toml(path, problems)
    if data is None:
        return None
    if not toml.check_table(data, QuizData):
        problems.extend(toml.problems)
        return None
    if not 0 <= data["pass_mark"] <= 100:
        toml.problem("must be a percent from 0 to 100", "pass_mark")
    if not data["questions"]:
        toml.problem("a quiz needs at least one question", "questions")
    question_starts = toml.header_lines("[[questions]]")
    questions = []
    for number, question in enumerate(data["questions"], start=1):
        start = question_starts[number - 1] if number <= len(question_starts) else 0
        end = question_starts[number] if number < len(question_starts) else None
        parsed = _read_question(toml, question, number, start, end, section)
        if parsed:
            questions.append(parsed)
    if len(questions) == len(data["questions"]):
        _give_keys(
            toml, questions, "questions[{}].", [q.prompt for q in questions], question_starts
        )
    problems.extend(toml.problems)
    if toml.problems:
        return None
    return QuizData(
        data["title"].strip(),
        data["pass_mark"],
        data["shuffle"],
        questions,
        partial_credit=data.get("partial_credit", False),
    )


def _give_keys(toml, items, prefix, texts, starts):
    """Check the keys the file gives (a slug, unique among `items`) and make the missing
    ones from each item's text, as the admin does (quizzes.models.key_from)."""
    given = {}
    for index, item in enumerate(items, start=1):
        if not item.key:
            continue
        after = starts[index - 1] if index <= len(starts) else 0
        if not KEY_RE.match(item.key):
            toml.problem(KEY_RULE, prefix.format(index) + "key", after=after)
        elif item.key in given:
            toml.problem(
                f"the same key as number {given[item.key]}",
                prefix.format(index) + "key",
                after=after,
            )
        given.setdefault(item.key, index)
    taken = set(given)
    for item, text in zip(items, texts, strict=True):
        if not item.key:
            item.key = key_from(text, taken=taken)
            taken.add(item.key)


def _read_question(toml, question, number, start, end, section):
    prefix = f"questions[{number}]."
    if not isinstance(question, dict):
        toml.problem("each question must be a [[questions]] table", f"questions[{number}]")
        return None
    if not toml.check_table(question, QuestionData, prefix=prefix, after=start):
        return None
    kind = question["kind"]
    if kind not in KINDS:
        toml.problem(f"must be {KINDS_TEXT}", prefix + "kind", after=start)
    for key in ("prompt", "explanation"):
        if not question[key].strip():
            toml.problem("must not be empty", prefix + key, after=start)
    if kind != Question.MATCH:
        for key in ("pairs", "reuse_options"):
            if key in question:
                toml.problem("only match questions have it", prefix + key, after=start)
    _body_html, toc = section.rendered
    known = missing_heading(toc, question["heading"])
    if known is not None:
        toml.problem(
            f"no heading with id {question['heading']!r} in {section.path.name} "
            f"(headings: {known})",
            prefix + "heading",
            after=start,
        )
    if not 1 <= question["takeaway"] <= len(section.key_takeaways):
        toml.problem(
            f"the lesson has key takeaways 1 to {len(section.key_takeaways)}",
            prefix + "takeaway",
            after=start,
        )
    choice_starts = toml.header_lines("[[questions.choices]]", start, end)
    choices = [
        choice
        for index, table in enumerate(question["choices"], start=1)
        if (choice := _read_choice(toml, table, kind, f"{prefix}choices[{index}].",
                                   _start(choice_starts, index, start)))
    ]  # fmt: skip
    if len(choices) == len(question["choices"]):
        _give_keys(toml, choices, prefix + "choices[{}].", [c.text for c in choices], choice_starts)
        for message in choice_set_problems(kind, [(c.text, c.correct) for c in choices]):
            toml.problem(message, prefix + "choices", line=start + 1)
    pairs = []
    if kind == Question.MATCH:
        pairs = _read_pairs(toml, question, prefix, start, end, choices)
    return QuestionData(
        prompt=question["prompt"].strip(),
        kind=kind,
        explanation=question["explanation"].strip(),
        heading=question["heading"],
        takeaway=question["takeaway"],
        choices=choices,
        key=question.get("key", ""),
        reuse_options=question.get("reuse_options", False),
        pairs=pairs,
    )


def _start(starts, index, default):
    """The line of the `index`th table of a kind, as far as the file says."""
    return starts[index - 1] if index <= len(starts) else default


def _read_choice(toml, choice, kind, prefix, start):
    if not isinstance(choice, dict):
        toml.problem("each choice must be a [[questions.choices]] table", prefix)
        return None
    if not toml.check_table(choice, ChoiceData, prefix=prefix, after=start):
        return None
    ok = True
    if not choice["text"].strip():
        toml.problem("must not be empty", prefix + "text", after=start)
    if kind in Question.CHOICE_KINDS:
        for key in ("correct", "feedback"):
            if key not in choice:
                toml.problem("missing key", prefix + key, line=start + toml.first_line)
                ok = False
    elif "correct" in choice:
        toml.problem(
            f"a {kind} question's choices are not right or wrong in themselves",
            prefix + "correct",
            after=start,
        )
    if not ok:
        return None
    return ChoiceData(
        choice["text"].strip(),
        choice.get("correct", False),
        choice.get("feedback", "").strip(),
        key=choice.get("key", ""),
    )


def _read_pairs(toml, question, prefix, start, end, choices):
    """A match question's pairs, each answered by the key of one of its choices."""
    pair_starts = toml.header_lines("[[questions.pairs]]", start, end)
    pairs = []
    for index, table in enumerate(question.get("pairs", []), start=1):
        pair_prefix = f"{prefix}pairs[{index}]."
        after = _start(pair_starts, index, start)
        if not isinstance(table, dict):
            toml.problem("each pair must be a [[questions.pairs]] table", pair_prefix)
        elif toml.check_table(table, PairData, prefix=pair_prefix, after=after):
            if not table["text"].strip():
                toml.problem("must not be empty", pair_prefix + "text", after=after)
            pairs.append(
                PairData(
                    table["text"].strip(),
                    table["answer"],
                    table.get("feedback", "").strip(),
                    key=table.get("key", ""),
                )
            )
    if len(pairs) == len(question.get("pairs", [])):
        _give_keys(toml, pairs, prefix + "pairs[{}].", [p.text for p in pairs], pair_starts)
        for message in pair_problems(
            [c.key for c in choices],
            [(p.text, p.answer) for p in pairs],
            reuse_options=question.get("reuse_options", False),
        ):
            toml.problem(message, prefix + "pairs", line=start + 1)
    return pairs


def _read_section(folder, problems):
    section = _read_lesson(folder / "lesson.md", problems)
    if section is None:
        return None
    quiz_path = folder / "quiz.toml"
    if quiz_path.is_file():
        section.rendered = render_lesson(section.body)
        section.quiz = _read_quiz(quiz_path, section, problems)
    return section


def read_section_folder(folder: Path) -> SectionData | None:
    """What a section's folder says, or None unless it reads without a problem."""
    problems = []
    section = _read_section(folder, problems) if (folder / "lesson.md").is_file() else None
    return None if problems else section


def read_course_file(path: Path) -> CourseData | None:
    """What a course.toml says (without sections), or None unless it reads without a
    problem."""
    problems = []
    course = _read_course(path, problems) if path.is_file() else None
    return None if problems else course


def read_content(directory: Path) -> CourseData:
    """Parse and validate a content folder; raise ContentError listing every problem."""
    directory = Path(directory)
    problems = []
    if not directory.is_dir():
        raise ContentError([Problem(directory, "no such folder")])
    course_path = directory / "course.toml"
    if not course_path.is_file():
        raise ContentError([Problem(course_path, "missing: every content folder needs one")])
    course = _read_course(course_path, problems)
    sections = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        if (folder / "lesson.md").is_file() and (section := _read_section(folder, problems)):
            sections.append(section)
    for attribute in ("slug", "number"):
        seen = {}
        for section in sections:
            value = getattr(section, attribute)
            if value in seen:
                problems.append(
                    Problem(
                        section.path,
                        f"{value!r} is also the {attribute} of {seen[value]}",
                        attribute,
                    )
                )
            seen.setdefault(value, section.path)
    if problems:
        raise ContentError(problems)
    course.sections = sorted(sections, key=lambda section: section_sort_key(section.number))
    return course


def coverage_warnings(course: CourseData) -> list[str]:
    """Key takeaways that fewer than two questions of their quiz test."""
    warnings = []
    for section in course.sections:
        if section.quiz is None:
            continue
        for position, _text in enumerate(section.key_takeaways, start=1):
            tested = sum(q.takeaway == position for q in section.quiz.questions)
            if tested < 2:
                warnings.append(
                    f"{section.path.parent.name}: key takeaway {position} is tested "
                    f"by {tested} question{'s' if tested != 1 else ''}; "
                    "aim for at least two"
                )
    return warnings
