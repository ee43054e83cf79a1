"""The completion record: made once, when a learner's course is first complete."""

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from course.models import Section
from quizzes.models import Attempt, CompletionRecord, Learner, LessonCompletion


def completion_record(*, learner: Learner | None, complete: bool) -> CompletionRecord | None:
    """The learner's record while their course is `complete`, made the first time it is;
    None otherwise. No query for a learner from `current_learner`, which fetches the
    record with them; five more the first time."""
    if learner is None or not complete:
        return None
    try:
        return learner.completion_record
    except CompletionRecord.DoesNotExist:
        pass
    completed_at = _completed_at(learner)
    try:
        with transaction.atomic():
            return CompletionRecord.objects.create(learner=learner, completed_at=completed_at)
    except IntegrityError:  # made a moment ago, by the same learner's other request
        return CompletionRecord.objects.get(learner=learner)


def _completed_at(learner):
    """When the last section became complete: each section is complete from the later of
    its lesson's reading and its quiz's first pass."""
    sections = Section.objects.published().values("pk")
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
