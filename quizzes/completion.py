"""The completion record: made once, when a learner's course is first complete."""

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from quizzes.models import Attempt, CompletionRecord, Learner, LessonCompletion
from quizzes.progress import CourseProgress


def completion_record(
    *, learner: Learner | None, progress: CourseProgress
) -> CompletionRecord | None:
    """The learner's record while their course is complete (`progress` is theirs), made
    the first time it is; None otherwise. No query for a learner from `current_learner`,
    which fetches the record with them; five more the first time."""
    if learner is None or not progress.complete:
        return None
    try:
        return learner.completion_record
    except CompletionRecord.DoesNotExist:
        pass
    completed_at = _completed_at(learner, progress)
    try:
        with transaction.atomic():
            return CompletionRecord.objects.create(learner=learner, completed_at=completed_at)
    except IntegrityError:  # made a moment ago, by the same learner's other request
        return CompletionRecord.objects.get(learner=learner)


def _completed_at(learner, progress):
    """When the last section became complete: each section is complete from the later of
    its lesson's reading and its quiz's first pass."""
    sections = [entry.section.pk for entry in progress.sections]
    read = LessonCompletion.objects.filter(learner=learner, section__in=sections)
    passed = (
        Attempt.objects.filter(learner=learner, quiz__section__in=sections, passed=True)
        .values("quiz__section_id")
        .annotate(first=Min("finished_at"))
    )
    when = {}
    for section_id, moment in [
        *read.values_list("section_id", "completed_at"),
        *passed.values_list("quiz__section_id", "first"),
    ]:
        when[section_id] = max(when.get(section_id, moment), moment)
    return max(when.values(), default=None) or timezone.now()
