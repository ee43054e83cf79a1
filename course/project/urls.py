"""The site's root URLs: each app's own URLs, accounts, the admin and the health check."""

import os

from django.contrib import admin
from django.urls import include, path

from course.project import accounts
from course.project.health import health

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

urlpatterns = [
    path("", include("course.urls")),
    path("", include("quizzes.urls")),
    path("healthz/", health, name="health"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password_reset/", accounts.PasswordReset.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path(ADMIN_PATH, admin.site.urls),
]
