"""Quizzes, learners and their progress."""
