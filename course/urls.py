"""The lessons app's URLs: the course outline, each section's lesson and search."""

from django.urls import path

from course import views

app_name = "course"

urlpatterns = [
    path("", views.outline, name="outline"),
    path("sections/<slug:slug>/", views.lesson, name="lesson"),
    path("search/", views.search, name="search"),
]
