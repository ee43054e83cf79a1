"""The quizzes app's URLs: quizzes and attempts, review, the learner's progress and
completion record."""

from django.urls import path

from quizzes.views import completion, progress, results, review, taking

app_name = "quizzes"

urlpatterns = [
    path("progress/", progress.my_progress, name="progress"),
    path(
        "completed/<str:token>/",
        completion.completion_record_page,
        name="completion_record",
    ),
    path("review/", review.review_page, name="review"),
    path("review/<int:item_id>/", review.submit_review, name="review_answer"),
    path("review/answers/<int:answer_id>/", review.review_result, name="review_result"),
    path("sections/<slug:slug>/complete/", progress.lesson_complete, name="lesson_complete"),
    path("sections/<slug:slug>/quiz/", taking.quiz_page, name="quiz"),
    path("sections/<slug:slug>/quiz/start/", taking.start, name="start"),
    path("attempts/<int:attempt_id>/", taking.resume, name="attempt"),
    path(
        "attempts/<int:attempt_id>/questions/<int:position>/", taking.question_page, name="question"
    ),
    path("attempts/<int:attempt_id>/finish/", taking.finish, name="finish"),
    path("attempts/<int:attempt_id>/results/", results.results_page, name="results"),
]
