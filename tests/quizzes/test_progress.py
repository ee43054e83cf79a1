import pytest
from django.utils import timezone

from course.models import Section
from quizzes.models import LessonCompletion
from quizzes.progress import (
    course_progress,
    course_summary,
    next_step,
    record_visit,
    set_lesson_complete,
)
from quizzes.scoring import start_attempt
from tests.support import finished_attempt

pytestmark = pytest.mark.django_db


def sections():
    return Section.objects.published()


def completion(learner):
    return course_summary(learner).completion


def continue_from(learner, section):
    """Where Continue goes once the learner last visited `section`: (section, kind)."""
    record_visit(learner=learner, section=section)
    step = next_step(learner)
    return step and (step.section, step.kind)


def test_a_new_learner_has_zero_completion(course_of, learner):
    course_of(4)
    assert completion(learner) == 0
    assert [e.read for e in course_progress(learner, sections()).sections] == [False] * 4


def test_a_section_is_complete_when_read_and_its_quiz_passed(course_of, learner):
    first, second, *_ = course_of(4)
    set_lesson_complete(learner=learner, section=first, complete=True)
    finished_attempt(learner, first, 75)
    set_lesson_complete(learner=learner, section=second, complete=True)
    finished_attempt(learner, second, 25)
    progress = course_progress(learner, sections())
    assert [e.complete for e in progress.sections] == [True, False, False, False]
    assert progress.completion == completion(learner) == 25


def test_reading_without_passing_is_not_complete(course_of, learner):
    (section,) = course_of(1)
    set_lesson_complete(learner=learner, section=section, complete=True)
    assert course_progress(learner, sections()).completion == completion(learner) == 0


def test_a_section_without_a_quiz_is_complete_once_read(course_of, learner):
    (section,) = course_of(1, with_quiz=False)
    set_lesson_complete(learner=learner, section=section, complete=True)
    assert course_progress(learner, sections()).completion == completion(learner) == 100


def test_best_and_latest_scores_and_passed(course_of, learner):
    (section,) = course_of(1)
    earlier = timezone.now() - timezone.timedelta(days=1)
    finished_attempt(learner, section, 100, when=earlier)
    finished_attempt(learner, section, 25)
    entry = course_progress(learner, sections()).sections[0]
    assert (entry.attempts, entry.best, entry.latest, entry.passed) == (2, 100, 25, True)


def test_marking_complete_twice_keeps_one_row_and_undo_removes_it(course_of, learner):
    (section,) = course_of(1)
    set_lesson_complete(learner=learner, section=section, complete=True)
    set_lesson_complete(learner=learner, section=section, complete=True)
    assert LessonCompletion.objects.count() == 1
    set_lesson_complete(learner=learner, section=section, complete=False)
    assert LessonCompletion.objects.count() == 0


def test_continue_starts_a_new_learner_at_the_first_lesson(course_of, learner):
    first, _, _ = course_of(3)
    step = next_step(learner)
    assert (step.section, step.kind) == (first, "lesson")


def test_continue_goes_to_the_first_unfinished_thing_after_the_last_visit(course_of, learner):
    _, second, third = course_of(3)
    set_lesson_complete(learner=learner, section=second, complete=True)
    assert continue_from(learner, second) == (second, "quiz")
    finished_attempt(learner, second, 100)
    assert continue_from(learner, second) == (third, "lesson")


def test_continue_wraps_round_and_ends_when_all_is_done(course_of, learner):
    first, second = course_of(2)
    set_lesson_complete(learner=learner, section=second, complete=True)
    finished_attempt(learner, second, 100)
    assert continue_from(learner, second) == (first, "lesson")
    set_lesson_complete(learner=learner, section=first, complete=True)
    finished_attempt(learner, first, 100)
    assert continue_from(learner, second) is None


def test_continue_goes_back_to_a_retake_left_open(course_of, learner):
    (section,) = course_of(1)
    set_lesson_complete(learner=learner, section=section, complete=True)
    finished_attempt(learner, section, 100)
    assert continue_from(learner, section) is None
    attempt = start_attempt(learner=learner, quiz=section.quiz)
    assert continue_from(learner, section) == (section, "quiz")
    assert next_step(learner).open_attempt_id == attempt.pk
    assert course_progress(learner, sections()).sections[0].attempts == 1


def test_continue_takes_a_passed_quiz_as_the_lesson_read(course_of, learner):
    first, second = course_of(2)
    finished_attempt(learner, first, 100)
    assert continue_from(learner, first) == (second, "lesson")


def test_continue_counts_a_marked_lesson_without_a_quiz_as_done(course_of, learner):
    first, second = course_of(2, with_quiz=False)
    set_lesson_complete(learner=learner, section=first, complete=True)
    assert continue_from(learner, first) == (second, "lesson")


def test_the_summary_counts_each_chapters_sections_and_those_complete(course_of, learner):
    sections_made = course_of(12, per_chapter=10)  # 1.1 ... 1.10, 2.1, 2.2
    for section in sections_made[:2] + sections_made[10:11]:
        finished_attempt(learner, section, 100)
    chapters = course_summary(learner).chapters
    assert [(c.number, c.sections, c.complete) for c in chapters] == [(1, 10, 2), (2, 2, 1)]
    assert completion(learner) == 25


def test_a_quiz_passed_twice_counts_its_section_once(course_of, learner):
    first, _ = course_of(2)
    finished_attempt(learner, first, 100)
    finished_attempt(learner, first, 100)
    assert [c.complete for c in course_summary(learner).chapters] == [1]
    assert completion(learner) == 50


def test_a_section_published_while_progress_is_read_is_left_out_not_an_error(
    course_of, learner, monkeypatch
):
    import quizzes.progress as progress

    first, second = course_of(2, with_quiz=False)
    set_lesson_complete(learner=learner, section=second, complete=True)
    Section.objects.filter(pk=second.pk).update(published=False)
    real = progress.tested_takeaways

    def then_published():
        Section.objects.filter(pk=second.pk).update(published=True)
        return real()

    monkeypatch.setattr(progress, "tested_takeaways", then_published)
    entries = course_progress(learner, Section.objects.published()).sections
    assert [entry.section for entry in entries] == [first]
