import pytest

from quizzes.models import Learner


@pytest.fixture
def learner(db):
    """A new anonymous learner."""
    return Learner.objects.create()


@pytest.fixture
def question(small_course):
    """Q1 of the small course: one answer, choice 1 right, choices 2 and 3 wrong."""
    return small_course.quiz.questions.get(position=1)
