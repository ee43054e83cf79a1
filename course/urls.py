"""The lessons app's URLs: the course home, chapters, lessons and search."""

from django.urls import path

from course import views

app_name = "course"

urlpatterns = [
    path("", views.outline, name="outline"),
    path("chapters/<int:number>/", views.chapter, name="chapter"),
    path("sections/<slug:slug>/", views.lesson, name="lesson"),
    path("search/", views.search, name="search"),
]
