"""Read content/ (course.toml, <section>/lesson.md, <section>/quiz.toml) into the database.

Two phases: every file is parsed and validated first, collecting every problem; only a
course without problems is written, in one transaction. Sections are matched by slug and
updated in place; learner data is never deleted (a question or choice that learners have
answered is retired instead of removed).

An edit made in the admin is never overwritten silently: each import keeps the section's
fingerprint (course/content_format.py), and a section whose fingerprint has changed since
while its files say something else is a conflict, reported and left alone unless the
import is forced. `export_content` takes the admin's version into the files instead.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from course.content_format import (
    ChoiceData,
    CourseData,
    QuestionData,
    QuizData,
    SectionData,
    clean_body,
    fingerprint,
)
from course.exporter import section_data, sections_with_content
from course.models import SECTION_NUMBER_RE, Course, KeyTakeaway, Section
from quizzes.models import Choice, Question, Quiz, choice_set_problems

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
FRONT_MATTER_FENCE = "+++"
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


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Sections changed in the admin since their last import, left as they are.
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)


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

    def check_table(self, table, spec, *, prefix="", after=0):
        """spec: key -> (type, required). Returns False when a key is missing or wrong."""
        ok = True
        for key in table:
            if key not in spec:
                self.problem(f"unknown key (allowed: {', '.join(spec)})", prefix + key, after=after)
                ok = False
        for key, (kind, required) in spec.items():
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


COURSE_KEYS = {
    "title": (str, True),
    "slug": (str, True),
    "description": (str, True),
    "chapters": (dict, False),
}
LESSON_KEYS = {
    "number": (str, True),
    "title": (str, True),
    "slug": (str, True),
    "summary": (str, True),
    "key_takeaways": (list, True),
    "published": (bool, True),
}
QUIZ_KEYS = {
    "title": (str, True),
    "pass_mark": (int, True),
    "shuffle": (bool, True),
    "questions": (list, True),
}
QUESTION_KEYS = {
    "prompt": (str, True),
    "kind": (str, True),
    "explanation": (str, True),
    "heading": (str, True),
    "takeaway": (int, True),
    "choices": (list, True),
}
CHOICE_KEYS = {"text": (str, True), "correct": (bool, True), "feedback": (str, True)}


def _read_course(path, problems):
    text = _read_text(path, problems)
    if text is None:
        return None
    data = _parse_toml(path, text, problems)
    if data is None:
        return None
    toml = _TomlFile(path, text)
    ok = toml.check_table(data, COURSE_KEYS)
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
        data["title"].strip(),
        data["slug"],
        data["description"].strip(),
        {k: v.strip() for k, v in chapters.items()},
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
    if toml.check_table(data, LESSON_KEYS):
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
    text = _read_text(path, problems)
    if text is None:
        return None
    data = _parse_toml(path, text, problems)
    if data is None:
        return None
    toml = _TomlFile(path, text)
    if not toml.check_table(data, QUIZ_KEYS):
        problems.extend(toml.problems)
        return None
    if not 0 <= data["pass_mark"] <= 100:
        toml.problem("must be a percent from 0 to 100", "pass_mark")
    if not data["questions"]:
        toml.problem("a quiz needs at least one question", "questions")
    heading_ids = rendered_page(section).heading_ids()
    question_starts = toml.header_lines("[[questions]]")
    questions = []
    for number, question in enumerate(data["questions"], start=1):
        start = question_starts[number - 1] if number <= len(question_starts) else 0
        end = question_starts[number] if number < len(question_starts) else None
        parsed = _read_question(toml, question, number, start, end, section, heading_ids)
        if parsed:
            questions.append(parsed)
    problems.extend(toml.problems)
    if toml.problems:
        return None
    return QuizData(data["title"].strip(), data["pass_mark"], data["shuffle"], questions)


def _read_question(toml, question, number, start, end, section, heading_ids):
    prefix = f"questions[{number}]."
    if not isinstance(question, dict):
        toml.problem("each question must be a [[questions]] table", f"questions[{number}]")
        return None
    if not toml.check_table(question, QUESTION_KEYS, prefix=prefix, after=start):
        return None
    if question["kind"] not in (Question.SINGLE, Question.MULTIPLE):
        toml.problem('must be "single" or "multiple"', prefix + "kind", after=start)
    for key in ("prompt", "explanation"):
        if not question[key].strip():
            toml.problem("must not be empty", prefix + key, after=start)
    if question["heading"] not in heading_ids:
        known = ", ".join(sorted(heading_ids)) or "none"
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
    choices = []
    for index, choice in enumerate(question["choices"], start=1):
        choice_start = choice_starts[index - 1] if index <= len(choice_starts) else start
        choice_prefix = f"{prefix}choices[{index}]."
        if not isinstance(choice, dict):
            toml.problem("each choice must be a [[questions.choices]] table", choice_prefix)
            continue
        if toml.check_table(choice, CHOICE_KEYS, prefix=choice_prefix, after=choice_start):
            if not choice["text"].strip():
                toml.problem("must not be empty", choice_prefix + "text", after=choice_start)
            choices.append(
                ChoiceData(choice["text"].strip(), choice["correct"], choice["feedback"].strip())
            )
    if len(choices) == len(question["choices"]):
        for message in choice_set_problems(
            question["kind"], [(c.text, c.correct) for c in choices]
        ):
            toml.problem(message, prefix + "choices", line=start + 1)
    return QuestionData(
        prompt=question["prompt"].strip(),
        kind=question["kind"],
        explanation=question["explanation"].strip(),
        heading=question["heading"],
        takeaway=question["takeaway"],
        choices=choices,
    )


def read_content(directory):
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
        lesson_path = folder / "lesson.md"
        if not lesson_path.is_file():
            continue
        section = _read_lesson(lesson_path, problems)
        if section is None:
            continue
        quiz_path = folder / "quiz.toml"
        if quiz_path.is_file():
            section.quiz = _read_quiz(quiz_path, section, problems)
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
    course.sections = sorted(sections, key=lambda s: [int(p) for p in s.number.split(".")])
    return course


def coverage_warnings(course):
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


def rendered_page(data):
    """A new, unsaved Section with the body rendered, kept on the parsed data: quiz headings
    are checked against it and a new section is saved from it, so each body renders once."""
    if data.page is None:
        data.page = Section(number=data.number, body=data.body)
        data.page.render()
    return data.page


def _sync(instance, values):
    """Set values and save; return True if anything was written.

    A new row is simply saved (save() renders its HTML). An existing row is re-rendered
    and compared first, stored HTML included, and saved only if something differs.
    """
    fields = [
        *values,
        *[
            f
            for f in ("body_html", "toc", "prompt_html", "explanation_html", "feedback_html")
            if hasattr(instance, f)
        ],
    ]
    before = {name: getattr(instance, name) for name in fields} if instance.pk else None
    for name, value in values.items():
        setattr(instance, name, value)
    if before is not None:
        if hasattr(instance, "render"):
            instance.render()
        if before == {name: getattr(instance, name) for name in fields}:
            return False
    instance.save()
    return True


def _sync_takeaways(section, texts, *, new_section=False):
    existing = {} if new_section else {t.position: t for t in section.takeaways.all()}
    changed = False
    new = []
    for position, text in enumerate(texts, start=1):
        if position in existing:
            changed |= _sync(existing[position], {"text": text})
        else:
            new.append(KeyTakeaway(section=section, position=position, text=text))
    if new:
        KeyTakeaway.objects.bulk_create(new)
        changed = True
    kept = {p: t for p, t in existing.items() if p <= len(texts)}
    return kept | {t.position: t for t in new}, changed


def _drop_extra_takeaways(section, count):
    """Remove takeaways past the lesson's list, once the quiz no longer tests them; retired
    questions that tested one keep their history without it."""
    extra = section.takeaways.filter(position__gt=count)
    if not extra.exists():
        return False
    Question.objects.filter(takeaway__in=extra, active=False).update(takeaway=None)
    extra.delete()
    return True


def _retire_or_delete(queryset):
    """Remove rows learners never answered; keep answered ones, inactive, for history."""
    answered = queryset.filter(answers__isnull=False).distinct()
    changed = answered.filter(active=True).update(active=False) > 0
    deleted, _ = queryset.exclude(pk__in=answered.values("pk")).delete()
    return changed or deleted > 0


def _insert(model, rows):
    """Insert new rows in one statement, rendered as save() would render them."""
    for row in rows:
        row.render()
    return model.objects.bulk_create(rows)


def _question_values(question_data, takeaways):
    return {
        "kind": question_data.kind,
        "prompt": question_data.prompt,
        "explanation": question_data.explanation,
        "heading_id": question_data.heading,
        "takeaway_id": takeaways[question_data.takeaway].pk,
    }


def _choice_values(choice_data):
    return {
        "text": choice_data.text,
        "correct": choice_data.correct,
        "feedback": choice_data.feedback,
    }


def _sync_quiz(section, takeaways, data, *, new_section=False):
    quiz = None if new_section else Quiz.objects.filter(section=section).first()
    new_quiz = quiz is None
    quiz = quiz or Quiz(section=section)
    changed = _sync(
        quiz, {"title": data.title, "pass_mark": data.pass_mark, "shuffle": data.shuffle}
    )
    existing = {}
    if not new_quiz:
        existing = {
            q.position: q for q in quiz.questions.filter(active=True).prefetch_related("choices")
        }
    new_questions = []
    for position, question_data in enumerate(data.questions, start=1):
        values = _question_values(question_data, takeaways)
        if position not in existing:
            new_questions.append(Question(quiz=quiz, position=position, **values))
            continue
        question = existing[position]
        changed |= _sync(question, values)
        choices = {c.position: c for c in question.choices.all() if c.active}
        for choice_position, choice_data in enumerate(question_data.choices, start=1):
            choice = choices.get(choice_position) or Choice(
                question=question, position=choice_position
            )
            changed |= _sync(choice, _choice_values(choice_data))
        changed |= _retire_or_delete(
            question.choices.filter(active=True, position__gt=len(question_data.choices))
        )
    if new_questions:
        # Most of a first import: questions and choices in a few statements, not one each.
        _insert(Question, new_questions)
        _insert(
            Choice,
            [
                Choice(question=question, position=choice_position, **_choice_values(choice))
                for question in new_questions
                for choice_position, choice in enumerate(
                    data.questions[question.position - 1].choices, start=1
                )
            ],
        )
        changed = True
    if not new_quiz:
        changed |= _retire_or_delete(
            quiz.questions.filter(active=True, position__gt=len(data.questions))
        )
    return changed


def _label(data):
    return f"section {data.number} {data.slug}"


def find_conflicts(course_data):
    """The sections of `course_data` that an import would overwrite an admin edit of.

    A section was edited since its last import when its fingerprint differs from the one
    kept then; it is a conflict unless its files already hold that edit (they were
    exported after it).
    """
    incoming = {data.slug: data for data in course_data.sections}
    conflicts = []
    for section in sections_with_content().filter(slug__in=incoming):
        current = fingerprint(section_data(section))
        if current not in (section.imported_hash, fingerprint(incoming[section.slug])):
            conflicts.append(incoming[section.slug])
    return conflicts


def _remember_import(written):
    """Keep each written section's folder and fingerprint, to tell later admin edits."""
    folders = {data.slug: data.path.parent.name for data in written}
    for section in sections_with_content().filter(slug__in=folders):
        values = {
            "source_folder": folders[section.slug],
            "imported_hash": fingerprint(section_data(section)),
        }
        if any(getattr(section, name) != value for name, value in values.items()):
            Section.objects.filter(pk=section.pk).update(**values)


def _write(course_data, report, *, skip):
    course = Course.objects.filter(slug=course_data.slug).first() or Course()
    label = f"course {course_data.slug}"
    created = course.pk is None
    changed = _sync(
        course,
        {
            "slug": course_data.slug,
            "title": course_data.title,
            "description": course_data.description,
            "chapter_titles": course_data.chapters,
        },
    )
    _record(report, label, created, changed)
    sections = [data for data in course_data.sections if data.slug not in skip]
    by_slug = {s.slug: s for s in Section.objects.filter(slug__in=[d.slug for d in sections])}
    # Free the numbers that move, so two sections can swap places in one import.
    moving = [
        by_slug[d.slug].pk
        for d in sections
        if d.slug in by_slug and by_slug[d.slug].number != d.number
    ]
    for pk in moving:
        Section.objects.filter(pk=pk).update(number=f"~{pk}")
    for data in sections:
        section = by_slug.get(data.slug) or rendered_page(data)
        if section.pk in moving:
            section.number = f"~{section.pk}"
        created = section.pk is None
        changed = _sync(
            section,
            {
                "course_id": course.pk,
                "number": data.number,
                "title": data.title,
                "slug": data.slug,
                "summary": data.summary,
                "body": data.body,
                "published": data.published,
            },
        )
        # A new section has no takeaways or quiz yet: no need to look for them.
        takeaways, takeaways_changed = _sync_takeaways(
            section, data.key_takeaways, new_section=created
        )
        quiz_changed = data.quiz is not None and _sync_quiz(
            section, takeaways, data.quiz, new_section=created
        )
        if not created:
            takeaways_changed |= _drop_extra_takeaways(section, len(data.key_takeaways))
        if (takeaways_changed or quiz_changed) and not changed:
            # Marks the section as updated without rendering its body again.
            Section.objects.filter(pk=section.pk).update(updated_at=timezone.now())
        _record(report, _label(data), created, changed or takeaways_changed or quiz_changed)
    _remember_import(sections)


def _record(report, label, created, changed):
    if created:
        report.created.append(label)
    elif changed:
        report.updated.append(label)
    else:
        report.unchanged.append(label)


def import_content(directory, *, check=False, force=False):
    """Validate a content folder and, unless check is set, write it in one transaction.

    Sections edited in the admin since their last import are reported in
    `report.conflicts` and left alone, unless `force` is set.
    """
    course_data = read_content(directory)
    report = Report(warnings=coverage_warnings(course_data))
    try:
        with transaction.atomic():
            # In the transaction: no admin save can come between the check and the write.
            conflicts = [] if force else find_conflicts(course_data)
            report.conflicts = [_label(data) for data in conflicts]
            if not check:
                _write(course_data, report, skip={data.slug for data in conflicts})
    except IntegrityError as error:
        problem = Problem(Path(directory), f"conflicts with the database: {error}")
        raise ContentError([problem]) from None
    return report
