"""Where a learner stands: lessons read, quiz scores, completion, and what to do next.

Every function here runs a fixed number of queries, whatever the size of the course.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from course.models import KeyTakeaway, Section
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


def course_progress(learner: Learner | None, sections: list[Section]) -> "CourseProgress":
    """Progress over `sections` (fetched with select_related("quiz")): four queries."""
    entries = {
        s.pk: SectionProgress(section=s, has_quiz=s.quiz_or_none() is not None) for s in sections
    }
    # Only a takeaway some question tests can be shown retained, so only those count.
    tested = Question.objects.filter(takeaway_id=OuterRef("pk"), active=True)
    takeaway_counts = (
        KeyTakeaway.objects.filter(Exists(tested), section__in=entries)
        .values("section_id")
        .annotate(count=Count("pk"))
        .values_list("section_id", "count")
    )
    for section_id, count in takeaway_counts:
        entries[section_id].takeaways = count
    for section_id, (retained, due) in retention_by_section(learner).items():
        if section_id in entries:
            entries[section_id].retained, entries[section_id].due = retained, due
    if learner is not None:
        read = LessonCompletion.objects.filter(learner=learner, section__in=entries)
        for section_id in read.values_list("section_id", flat=True):
            entries[section_id].marked_read = True
        attempts = (
            Attempt.objects.filter(learner=learner, quiz__section__in=entries, abandoned=False)
            .order_by("finished_at")
            .values_list("quiz__section_id", "pk", "score", "passed", "finished_at")
        )
        for section_id, attempt_id, score, passed, finished_at in attempts:
            entries[section_id].add(
                score=score,
                passed=passed,
                finished=finished_at is not None,
                attempt_id=attempt_id,
            )
    return CourseProgress(sections=list(entries.values()))


def next_step(progress: CourseProgress, last_section_id: int | None) -> tuple[Section, str] | None:
    """Where Continue goes: the first quiz attempt left open, unread lesson or quiz not
    passed, from the last section visited onwards, wrapping round to the start; None when
    everything is done. An open attempt comes before its lesson: the learner chose to
    start it."""
    entries = progress.sections
    start = next((i for i, e in enumerate(entries) if e.section.pk == last_section_id), 0)
    for entry in entries[start:] + entries[:start]:
        if entry.in_progress:
            return entry.section, "quiz"
        if not entry.read:
            return entry.section, "lesson"
        if entry.has_quiz and (not entry.passed or entry.in_progress):
            return entry.section, "quiz"
    return None


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
