"""The quizzes admin, by feature: editing, item analysis and the learner report."""

from quizzes.admin import editing, item_analysis, learner_report  # noqa: F401  (registers)
