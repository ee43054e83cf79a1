import pytest
from django.utils import timezone

from course.models import Section
from quizzes.models import LessonCompletion
from quizzes.progress import course_progress, next_step, set_lesson_complete
from tests.support import finished_attempt

pytestmark = pytest.mark.django_db


def sections():
    return list(Section.objects.published().select_related("quiz"))


def test_a_new_learner_has_zero_completion(course_of, learner):
    course_of(4)
    progress = course_progress(learner, sections())
    assert progress.completion == 0
    assert [e.read for e in progress.sections] == [False] * 4


def test_a_section_is_complete_when_read_and_its_quiz_passed(course_of, learner):
    first, second, *_ = course_of(4)
    set_lesson_complete(learner=learner, section=first, complete=True)
    finished_attempt(learner, first, 75)
    set_lesson_complete(learner=learner, section=second, complete=True)
    finished_attempt(learner, second, 25)
    progress = course_progress(learner, sections())
    assert [e.complete for e in progress.sections] == [True, False, False, False]
    assert progress.completion == 25


def test_reading_without_passing_is_not_complete(course_of, learner):
    (section,) = course_of(1)
    set_lesson_complete(learner=learner, section=section, complete=True)
    assert course_progress(learner, sections()).completion == 0


def test_a_section_without_a_quiz_is_complete_once_read(course_of, learner):
    (section,) = course_of(1, with_quiz=False)
    set_lesson_complete(learner=learner, section=section, complete=True)
    assert course_progress(learner, sections()).completion == 100


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


def test_continue_goes_to_the_first_unfinished_thing_after_the_last_visit(course_of, learner):
    first, second, third = course_of(3)
    progress = course_progress(learner, sections())
    assert next_step(progress, None) == (first, "lesson")
    set_lesson_complete(learner=learner, section=second, complete=True)
    progress = course_progress(learner, sections())
    assert next_step(progress, second.pk) == (second, "quiz")
    finished_attempt(learner, second, 100)
    progress = course_progress(learner, sections())
    assert next_step(progress, second.pk) == (third, "lesson")


def test_continue_wraps_round_and_ends_when_all_is_done(course_of, learner):
    first, second = course_of(2)
    set_lesson_complete(learner=learner, section=second, complete=True)
    finished_attempt(learner, second, 100)
    assert next_step(course_progress(learner, sections()), second.pk) == (first, "lesson")
    set_lesson_complete(learner=learner, section=first, complete=True)
    finished_attempt(learner, first, 100)
    assert next_step(course_progress(learner, sections()), second.pk) is None


def test_continue_goes_back_to_a_retake_left_open(course_of, learner):
    from quizzes.scoring import start_attempt

    (section,) = course_of(1)
    set_lesson_complete(learner=learner, section=section, complete=True)
    finished_attempt(learner, section, 100)
    assert next_step(course_progress(learner, sections()), section.pk) is None
    start_attempt(learner=learner, quiz=section.quiz)
    progress = course_progress(learner, sections())
    assert next_step(progress, section.pk) == (section, "quiz")
    assert progress.sections[0].attempts == 1
