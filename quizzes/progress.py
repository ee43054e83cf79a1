"""Where a learner stands: lessons read, quiz scores, completion, and what to do next.

Every function here runs a fixed number of queries, whatever the size of the course.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from course.models import Course, KeyTakeaway, Section, course_and_chapters, without_lesson_text
from course.page_cache import CACHE_SECONDS, content_version
from quizzes.models import Attempt, Learner, LessonCompletion, Question, Quiz
from quizzes.review import retention_by_section


@dataclass
class QuizRecord:
    """A learner's record on one quiz, folded from their attempts oldest first: the one
    rule for the number of attempts, the best and latest scores and passing."""

    attempts: int = 0
    best: int | None = None
    latest: int | None = None
    passed: bool = False
    in_progress: bool = False  # an attempt at the quiz is open
    open_attempt_id: int | None = None

    def add(
        self,
        *,
        score: int | None,
        passed: bool | None,
        finished: bool,
        attempt_id: int | None = None,
    ) -> None:
        if not finished:
            self.in_progress = True
            self.open_attempt_id = attempt_id
            return
        self.attempts += 1
        self.latest = score
        self.best = score if self.best is None else max(self.best, score)
        self.passed = self.passed or bool(passed)


@dataclass
class SectionProgress(QuizRecord):
    section: Section | None = None
    has_quiz: bool = False
    marked_read: bool = False  # the learner pressed "Mark lesson complete"
    takeaways: int = 0
    retained: int = 0
    due: int = 0

    @property
    def retained_percent(self):
        """Share of the section's key takeaways tested by a question that the learner has
        shown they remember."""
        return round(100 * self.retained / self.takeaways) if self.takeaways else 0

    @property
    def read(self):
        """The lesson counts as read when marked so, or when its quiz is passed: passing
        shows the lesson was understood, and nobody should have to say it twice."""
        return self.marked_read or self.passed

    @property
    def complete(self):
        """Where the section has a quiz, the quiz passed; otherwise the lesson marked read."""
        return self.passed if self.has_quiz else self.marked_read

    @property
    def state(self) -> tuple:
        """Everything the learner's row of this section shows but the section itself."""
        return (
            self.read,
            self.complete,
            self.has_quiz,
            self.attempts,
            self.best,
            self.passed,
            self.takeaways,
            self.retained,
            self.due,
        )

    @property
    def not_complete_because(self) -> str:
        """Why the section is not complete yet, in the learner's words; "" when it is."""
        if self.complete:
            return ""
        return "Quiz not passed yet" if self.has_quiz else "Lesson not marked read"


@dataclass
class CourseProgress:
    sections: list[SectionProgress] = field(default_factory=list)

    @property
    def completion(self):
        """Percent of published sections complete."""
        if not self.sections:
            return 0
        done = sum(1 for entry in self.sections if entry.complete)
        return round(100 * done / len(self.sections))

    @property
    def complete(self):
        """Every published section complete; a course without sections is not."""
        return bool(self.sections) and all(entry.complete for entry in self.sections)

    @property
    def due(self):
        return sum(entry.due for entry in self.sections)

    @property
    def state_key(self) -> str:
        """The rows' state, for the cache key of the rows as rendered: learners in the
        same state share them."""
        return repr([(entry.section.pk, entry.state) for entry in self.sections])


def quiz_record(*, learner: Learner | None, quiz: Quiz | None) -> QuizRecord | None:
    """The learner's record on one quiz, for the lesson's quiz box; one query."""
    if learner is None or quiz is None:
        return None
    record = QuizRecord()
    attempts = (
        Attempt.objects.filter(learner=learner, quiz=quiz, abandoned=False)
        .order_by("finished_at", "pk")
        .values_list("pk", "score", "passed", "finished_at")
    )
    for attempt_id, score, passed, finished_at in attempts:
        record.add(
            score=score, passed=passed, finished=finished_at is not None, attempt_id=attempt_id
        )
    return record


def course_progress(learner: Learner | None, sections: QuerySet[Section]) -> CourseProgress:
    """Progress over `sections`, a queryset of published sections (one chapter's, or all
    of them): five queries, the sections' own included. They are selected by subquery, so
    no query carries a list that grows with the course."""
    rows = sections.select_related("quiz").defer(*without_lesson_text())
    entries = {
        s.pk: SectionProgress(section=s, has_quiz=s.quiz_or_none() is not None) for s in rows
    }
    chosen = sections.values("pk")
    tested = tested_takeaways()
    for section_id, entry in entries.items():
        entry.takeaways = tested.get(section_id, 0)
    # Each query selects the sections again: one published in between is not listed.
    for section_id, (retained, due) in retention_by_section(learner, chosen).items():
        if section_id in entries:
            entries[section_id].retained, entries[section_id].due = retained, due
    if learner is not None:
        read = LessonCompletion.objects.filter(learner=learner, section__in=chosen)
        for section_id in read.values_list("section_id", flat=True):
            if section_id in entries:
                entries[section_id].marked_read = True
        attempts = (
            Attempt.objects.filter(learner=learner, quiz__section__in=chosen, abandoned=False)
            .order_by("finished_at")
            .values_list("quiz__section_id", "pk", "score", "passed", "finished_at")
        )
        for section_id, attempt_id, score, passed, finished_at in attempts:
            if section_id not in entries:
                continue
            entries[section_id].add(
                score=score,
                passed=passed,
                finished=finished_at is not None,
                attempt_id=attempt_id,
            )
    return CourseProgress(sections=list(entries.values()))


def tested_takeaways() -> dict[int, int]:
    """{section id: how many of its key takeaways an active question tests}: only those
    can be shown retained, so only those count. The same for everyone, so kept in the
    cache under the content version."""
    key = f"tested-takeaways:{content_version()}"
    counts = cache.get(key)
    if counts is None:
        tested = Question.objects.filter(takeaway_id=OuterRef("pk"), active=True)
        counts = dict(
            KeyTakeaway.objects.filter(Exists(tested))
            .order_by()
            .values_list("section_id")
            .annotate(Count("pk"))
        )
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def _complete_sections(learner: Learner) -> tuple[QuerySet, QuerySet]:
    """SectionProgress.complete said in SQL, from the learner's own rows: the published
    sections whose quiz they passed, and those without a quiz whose lesson they marked
    read; each as (section_id, chapter) values."""
    passed = Attempt.objects.filter(
        learner=learner, passed=True, abandoned=False, quiz__section__published=True
    ).values(section_id=F("quiz__section_id"), chapter=F("quiz__section__chapter"))
    marked = LessonCompletion.objects.filter(
        learner=learner, section__published=True, section__quiz=None
    ).values("section_id", chapter=F("section__chapter"))
    return passed, marked


@dataclass
class ChapterProgress:
    number: int
    title: str
    sections: int
    complete: int = 0

    @property
    def completion(self):
        return round(100 * self.complete / self.sections) if self.sections else 0


@dataclass
class CourseSummary:
    """The course home's view of a learner: each chapter's sections and how many are
    complete, without loading a single section."""

    course: Course | None
    chapters: list[ChapterProgress]

    @property
    def sections(self):
        return sum(chapter.sections for chapter in self.chapters)

    @property
    def completion(self):
        """Percent of published sections complete."""
        done = sum(chapter.complete for chapter in self.chapters)
        return round(100 * done / self.sections) if self.sections else 0

    @property
    def complete(self):
        """Every published section complete; a course without sections is not."""
        return bool(self.chapters) and all(c.complete == c.sections for c in self.chapters)

    @property
    def state_key(self) -> str:
        """The chapters' counts, for the cache key of the rows as rendered."""
        return repr([(chapter.number, chapter.complete) for chapter in self.chapters])


def course_summary(learner: Learner | None) -> CourseSummary:
    """Each chapter with published sections, and how many of its sections the learner has
    complete. The chapters come from the cache; the counts take two queries over the
    learner's own rows, a row per chapter each, whatever the size of the course."""
    course, chapters = course_and_chapters()
    done = Counter()
    if learner is not None:
        for rows in _complete_sections(learner):
            # A quiz passed twice is one section complete.
            counts = (
                rows.order_by().values_list("chapter").annotate(Count("section_id", distinct=True))
            )
            for chapter, count in counts:
                done[chapter] += count
    return CourseSummary(
        course=course,
        chapters=[ChapterProgress(c.number, c.title, c.sections, done[c.number]) for c in chapters],
    )


@dataclass
class Step:
    """Where Continue goes: a section's lesson, or its quiz (resumed if open)."""

    section: Section
    kind: str  # "lesson" or "quiz"
    open_attempt_id: int | None = None


def next_step(learner: Learner | None) -> Step | None:
    """Where Continue goes: the first quiz attempt left open, unread lesson or quiz not
    passed, from the last section visited onwards, wrapping round to the start; None when
    everything is done. An open attempt comes before its lesson: the learner chose to
    start it. Three or four queries, each stopping at the first section it finds."""
    sections = Section.objects.published().select_related("quiz").defer(*without_lesson_text())
    if learner is None:
        first = sections.first()
        return Step(first, "lesson") if first else None
    open_attempts = dict(
        Attempt.objects.filter(learner=learner, finished_at=None, abandoned=False).values_list(
            "quiz__section_id", "pk"
        )
    )
    passed, marked = _complete_sections(learner)
    done = Q(pk__in=passed.values("section_id")) | Q(pk__in=marked.values("section_id"))
    undone = sections.filter(Q(pk__in=open_attempts) | ~done).annotate(
        marked_read=Exists(LessonCompletion.objects.filter(learner=learner, section=OuterRef("pk")))
    )
    last_visited = Section.objects.filter(pk=learner.last_section_id).values("sort_key")
    section = undone.filter(sort_key__gte=Subquery(last_visited)).first() or undone.first()
    if section is None:
        return None
    if section.pk in open_attempts:
        return Step(section, "quiz", open_attempts[section.pk])
    # Not done and no attempt open: a quiz not passed, or a lesson not marked read.
    read = section.marked_read
    return Step(section, "quiz" if read and section.quiz_or_none() else "lesson")


def set_lesson_complete(*, learner: Learner, section: Section, complete: bool) -> None:
    """Mark a lesson read or unread; doing it twice is the same as once."""
    if not complete:
        LessonCompletion.objects.filter(learner=learner, section=section).delete()
        return
    LessonCompletion.objects.get_or_create(
        learner=learner, section=section, defaults={"completed_at": timezone.now()}
    )


def record_visit(*, learner: Learner | None, section: Section) -> None:
    """Remember the last section a known learner opened; writes only when it changes."""
    if learner is not None and learner.last_section_id != section.pk:
        type(learner).objects.filter(pk=learner.pk).update(last_section=section)
        learner.last_section_id = section.pk
