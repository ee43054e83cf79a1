from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("progress/", views.my_progress, name="progress"),
    path("review/", views.review, name="review"),
    path("review/<int:item_id>/", views.review_answer, name="review_answer"),
    path("review/answers/<int:answer_id>/", views.review_result, name="review_result"),
    path("sections/<slug:slug>/complete/", views.lesson_complete, name="lesson_complete"),
    path("sections/<slug:slug>/quiz/", views.quiz, name="quiz"),
    path("sections/<slug:slug>/quiz/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/questions/<int:position>/", views.question, name="question"),
    path("attempts/<int:attempt_id>/finish/", views.finish, name="finish"),
    path("attempts/<int:attempt_id>/results/", views.results, name="results"),
]
