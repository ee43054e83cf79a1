"""The quizzes app: quizzes, learners, their attempts, progress and reviews."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes and progress"

    def ready(self):
        from course.page_cache import watch
        from quizzes import learners  # noqa: F401  (connects the login signal)
        from quizzes.models import Choice, Pair, Question, Quiz

        watch(Quiz, Question, Choice, Pair)
