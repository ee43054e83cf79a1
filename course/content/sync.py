"""Write a course read from content/ to the database, in one transaction: import_content.

Sections are matched by slug and updated in place; learner data is never deleted (a
question or choice that learners have answered is retired instead of removed). Sections
changed in the admin since their last import are left alone (conflicts.py) unless the
import is forced.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from course.content.conflicts import find_conflicts, remember_import
from course.content.format import CourseData, SectionData
from course.content.reader import ContentError, Problem, coverage_warnings, read_content
from course.content.report import Report
from course.models import Course, KeyTakeaway, Section
from course.page_cache import content_changed
from quizzes.models import Choice, Pair, Question, Quiz
from quizzes.versions import record_versions

# Far above any quiz's length: where questions wait while the import reorders them.
POSITION_OFFSET = 10_000


@dataclass
class ImportReport(Report):
    """What import_content did: course and section labels, such as "section 2.4 slug"."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Sections changed in the admin since their last import, left as they are.
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)


def _sync(instance, values, *, rendered=None):
    """Set values and save; return True if anything was written.

    A new row is simply saved (save() renders its HTML). An existing row is re-rendered
    and compared first, stored HTML included, and saved only if something differs. A
    section's body comes `rendered` when the reader rendered it (to check its quiz's
    headings), and is not rendered again.
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
    if rendered is not None:
        instance.use_rendered_body(*rendered)
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


def _retire_or_delete(questions):
    """Remove questions no attempt asked; keep the others, inactive, for their history."""
    asked = questions.filter(answers__isnull=False).distinct()
    changed = asked.filter(active=True).update(active=False) > 0
    deleted, _ = questions.exclude(pk__in=asked.values("pk")).delete()
    return changed or deleted > 0


def _insert(model, rows):
    """Insert new rows in one statement, rendered as save() would render them."""
    for row in rows:
        row.render()
    return model.objects.bulk_create(rows)


def _question_values(question_data, takeaways, position):
    return {
        "key": question_data.key,
        "position": position,
        "kind": question_data.kind,
        "reuse_options": question_data.reuse_options,
        "prompt": question_data.prompt,
        "explanation": question_data.explanation,
        "heading_id": question_data.heading,
        "takeaway_id": takeaways[question_data.takeaway].pk,
    }


def _choice_values(choice_data, position):
    return {
        "key": choice_data.key,
        "position": position,
        "text": choice_data.text,
        "correct": choice_data.correct,
        "feedback": choice_data.feedback,
    }


def _pair_values(pair_data, position):
    return {
        "key": pair_data.key,
        "position": position,
        "text": pair_data.text,
        "answer": pair_data.answer,
        "feedback": pair_data.feedback,
    }


def _sync_parts(question, model, related, rows, values):
    """Update a question's choices or pairs in place by key, add new ones and delete those
    gone: answers keep the version they were given, so none is needed for history."""
    existing = {row.key: row for row in getattr(question, related).all() if _is_active(row)}
    changed = False
    for position, data in enumerate(rows, start=1):
        row = existing.get(data.key) or model(question=question)
        changed |= _sync(row, values(data, position))
    gone = set(existing) - {data.key for data in rows}
    if gone:
        getattr(question, related).filter(key__in=gone).delete()
        changed = True
    return changed


def _is_active(row):
    return getattr(row, "active", True)


def _sync_quiz(section, takeaways, data, *, new_rows, new_section=False):
    """Questions and choices are matched by key, so a reorder moves them; a question whose
    meaning changed gets a new version (quizzes/versions.py). A new quiz's questions get
    theirs later, all at once: they are added to `new_rows` with their choices and pairs."""
    quiz = None if new_section else Quiz.objects.filter(section=section).first()
    new_quiz = quiz is None
    quiz = quiz or Quiz(section=section)
    changed = _sync(
        quiz,
        {
            "title": data.title,
            "pass_mark": data.pass_mark,
            "shuffle": data.shuffle,
            "partial_credit": data.partial_credit,
        },
    )
    existing = {}
    if not new_quiz:
        existing = {
            q.key: q
            for q in quiz.questions.filter(active=True).prefetch_related("choices", "pairs")
        }
        changed |= _retire_or_delete(
            quiz.questions.filter(active=True).exclude(key__in=[q.key for q in data.questions])
        )
        _free_positions(quiz, existing.values(), data.questions)
    new_questions = []
    for position, question_data in enumerate(data.questions, start=1):
        values = _question_values(question_data, takeaways, position)
        question = existing.get(question_data.key)
        if question is None:
            new_questions.append(Question(quiz=quiz, **values))
            continue
        changed |= _sync(question, values)
        changed |= _sync_parts(question, Choice, "choices", question_data.choices, _choice_values)
        changed |= _sync_parts(question, Pair, "pairs", question_data.pairs, _pair_values)
    if new_questions:
        # Most of a first import: questions and choices in a few statements, not one each.
        _insert(Question, new_questions)
        choices = _insert(
            Choice,
            [
                Choice(question=question, **_choice_values(choice, choice_position))
                for question in new_questions
                for choice_position, choice in enumerate(
                    data.questions[question.position - 1].choices, start=1
                )
            ],
        )
        pairs = _insert(
            Pair,
            [
                Pair(question=question, **_pair_values(pair, pair_position))
                for question in new_questions
                for pair_position, pair in enumerate(
                    data.questions[question.position - 1].pairs, start=1
                )
            ],
        )
        changed = True
    if new_quiz:
        # Every question is new and its rows are at hand: no need to read them back.
        new_rows.update(_rows_by_question(new_questions, choices, pairs))
    elif changed:
        record_versions(
            quiz.questions.filter(active=True)
            .select_related("current_version")
            .prefetch_related("choices", "pairs")
        )
    return changed


def _rows_by_question(questions, choices, pairs):
    given = {question: ([], []) for question in questions}
    for choice in choices:
        given[choice.question][0].append(choice)
    for pair in pairs:
        given[pair.question][1].append(pair)
    return given


def _free_positions(quiz, questions, question_data):
    """Move questions whose position changes out of the way first, so two can swap places
    (a quiz's active questions have one position each)."""
    wanted = {data.key: position for position, data in enumerate(question_data, start=1)}
    moving = [q.pk for q in questions if q.key in wanted and wanted[q.key] != q.position]
    if moving:
        Question.objects.filter(pk__in=moving).update(position=F("position") + POSITION_OFFSET)


def _label(data: SectionData) -> str:
    return f"section {data.number} {data.slug}"


def _write(course_data: CourseData, report: ImportReport, *, skip: set[str]) -> None:
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
    new_rows = {}  # new quizzes' questions: their choices and pairs
    for data in sections:
        section = by_slug.get(data.slug) or Section()
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
            rendered=data.rendered,
        )
        # A new section has no takeaways or quiz yet: no need to look for them.
        takeaways, takeaways_changed = _sync_takeaways(
            section, data.key_takeaways, new_section=created
        )
        quiz_changed = data.quiz is not None and _sync_quiz(
            section, takeaways, data.quiz, new_rows=new_rows, new_section=created
        )
        if not created:
            takeaways_changed |= _drop_extra_takeaways(section, len(data.key_takeaways))
        if created or takeaways_changed:
            section.refresh_search_text()
        if (takeaways_changed or quiz_changed) and not changed:
            # Marks the section as updated without rendering its body again.
            Section.objects.filter(pk=section.pk).update(updated_at=timezone.now())
        _record(report, _label(data), created, changed or takeaways_changed or quiz_changed)
    # Their first versions in a few statements, rather than a few per quiz.
    record_versions(new_rows, given=new_rows)
    remember_import(sections)


def _record(report, label, created, changed):
    if created:
        report.created.append(label)
    elif changed:
        report.updated.append(label)
    else:
        report.unchanged.append(label)


def import_content(directory: Path, *, check: bool = False, force: bool = False) -> ImportReport:
    """Validate a content folder and, unless check is set, write it in one transaction.

    Sections edited in the admin since their last import are reported in
    `report.conflicts` and left alone, unless `force` is set.
    """
    course_data = read_content(directory)
    report = ImportReport(warnings=coverage_warnings(course_data))
    try:
        with transaction.atomic():
            # In the transaction: no admin save can come between the check and the write.
            conflicts = [] if force else find_conflicts(course_data)
            report.conflicts = [_label(data) for data in conflicts]
            if not check:
                _write(course_data, report, skip={data.slug for data in conflicts})
                # Rows written in bulk send no signal: pages cached before are out of date.
                content_changed()
    except IntegrityError as error:
        problem = Problem(Path(directory), f"conflicts with the database: {error}")
        raise ContentError([problem]) from None
    return report
