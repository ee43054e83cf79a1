"""The lessons app's URLs: the course outline and each section's lesson."""

from django.urls import path

from course import views

app_name = "course"

urlpatterns = [
    path("", views.outline, name="outline"),
    path("sections/<slug:slug>/", views.lesson, name="lesson"),
]
