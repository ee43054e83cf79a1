"""Write the database's course into a content folder, with format.py's writer: export_content.

`export_content` writes course.toml and, per section, <folder>/lesson.md and
<folder>/quiz.toml, where <folder> is the one the section was imported from (or
"<number>-<slug>" for a section made in the admin). Retired questions and choices are left
out. Files that would not change are not touched, so an admin edit shows up in `git diff`
as exactly the lines it changed; nor are the files of a section whose files already say
what the database holds, written by hand in another layout (other indentation or key
order, say).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch, QuerySet

from course.content.format import (
    ChoiceData,
    CourseData,
    PairData,
    QuestionData,
    QuizData,
    SectionData,
    clean_body,
    clean_text,
    course_toml,
    fingerprint,
    section_files,
)
from course.content.reader import read_course_file, read_section_folder
from course.content.report import Report
from course.models import Course, Section
from quizzes.models import Choice, Question


class ExportError(Exception):
    pass


@dataclass
class ExportReport(Report):
    """What export_content did: file names, relative to the content folder."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sections_with_content() -> QuerySet[Section]:
    """Sections with everything their files hold, in a fixed number of queries."""
    active_choices = Choice.objects.filter(active=True).order_by("position")
    active_questions = (
        Question.objects.filter(active=True)
        .order_by("position")
        .prefetch_related(Prefetch("choices", queryset=active_choices), "pairs")
    )
    return Section.objects.select_related("quiz").prefetch_related(
        "takeaways", Prefetch("quiz__questions", queryset=active_questions)
    )


def section_data(section: Section) -> SectionData:
    """A section fetched by `sections_with_content`, as the data its files would hold."""
    takeaways = list(section.takeaways.all())
    takeaway_numbers = {takeaway.pk: number for number, takeaway in enumerate(takeaways, 1)}
    quiz = section.quiz_or_none()
    questions = list(quiz.questions.all()) if quiz else []
    return SectionData(
        path=None,
        number=section.number,
        title=clean_text(section.title),
        slug=section.slug,
        summary=clean_text(section.summary),
        key_takeaways=[clean_text(takeaway.text) for takeaway in takeaways],
        published=section.published,
        body=clean_body(section.body),
        # A quiz file needs a question: a quiz whose questions are all retired has none.
        quiz=QuizData(
            title=clean_text(quiz.title),
            pass_mark=quiz.pass_mark,
            shuffle=quiz.shuffle,
            partial_credit=quiz.partial_credit,
            questions=[
                QuestionData(
                    prompt=clean_text(question.prompt),
                    kind=question.kind,
                    explanation=clean_text(question.explanation),
                    heading=question.heading_id,
                    takeaway=takeaway_numbers[question.takeaway_id],
                    choices=[
                        ChoiceData(clean_text(c.text), c.correct, clean_text(c.feedback), key=c.key)
                        for c in question.choices.all()
                    ],
                    key=question.key,
                    reuse_options=question.reuse_options,
                    pairs=[
                        PairData(p.text, p.answer, clean_text(p.feedback), key=p.key)
                        for p in question.pairs.all()
                    ],
                )
                for question in questions
            ],
        )
        if questions
        else None,
    )


def course_data(course: Course) -> CourseData:
    return CourseData(
        title=clean_text(course.title),
        slug=course.slug,
        description=clean_text(course.description),
        chapters={number: clean_text(title) for number, title in course.chapter_titles.items()},
    )


def folder_of(section: Section) -> str:
    return section.source_folder or f"{section.number}-{section.slug}"


def _write(path, text, report, root, *, same_content=False):
    name = str(path.relative_to(root))
    if same_content or (path.is_file() and path.read_bytes() == text.encode()):
        report.unchanged.append(name)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    report.written.append(name)


def export_content(directory: Path) -> ExportReport:
    """Write the course in the database into `directory`; returns an ExportReport."""
    directory = Path(directory)
    courses = list(Course.objects.all()[:2])
    if len(courses) != 1:
        raise ExportError(
            "The database holds no course to export."
            if not courses
            else "The database holds more than one course; content/ holds one."
        )
    (course,) = courses
    sections = list(sections_with_content().filter(course=course))
    folders = [folder_of(section) for section in sections]
    if len(set(folders)) != len(folders):
        raise ExportError(f"Two sections would be written to the same folder: {folders}.")
    report = ExportReport()
    course_file = directory / "course.toml"
    exported = course_data(course)
    on_disk = read_course_file(course_file)
    same = on_disk is not None and course_toml(on_disk) == course_toml(exported)
    _write(course_file, course_toml(exported), report, directory, same_content=same)
    for section, folder in zip(sections, folders, strict=True):
        exported = section_data(section)
        on_disk = read_section_folder(directory / folder)
        same = on_disk is not None and fingerprint(on_disk) == fingerprint(exported)
        files = section_files(exported)
        for name, text in files.items():
            _write(directory / folder / name, text, report, directory, same_content=same)
        old_quiz = directory / folder / "quiz.toml"
        if "quiz.toml" not in files and old_quiz.is_file():
            old_quiz.unlink()
            report.removed.append(str(old_quiz.relative_to(directory)))
        if section.source_folder != folder:
            Section.objects.filter(pk=section.pk).update(source_folder=folder)
    strays = sorted(
        path.parent.name
        for path in directory.glob("*/lesson.md")
        if path.parent.name not in set(folders)
    )
    report.warnings += [
        f"{folder}/ holds a lesson no section of the database was written to; delete it if "
        "the section was deleted in the admin."
        for folder in strays
    ]
    return report
