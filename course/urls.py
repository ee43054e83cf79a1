import os

from django.contrib import admin
from django.urls import include, path

from course import accounts, views

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

lesson_patterns = (
    [
        path("", views.outline, name="outline"),
        path("sections/<slug:slug>/", views.lesson, name="lesson"),
        path("healthz/", views.health, name="health"),
    ],
    "course",
)

urlpatterns = [
    path("", include(lesson_patterns)),
    path("", include("quizzes.urls")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path(ADMIN_PATH, admin.site.urls),
]
