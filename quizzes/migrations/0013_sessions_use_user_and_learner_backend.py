"""Signed-in sessions name the backend that logged them in, and Django keeps a session
signed in only while that backend is listed: sessions made by ModelBackend now name
UserAndLearnerBackend (quizzes/learners.py), which replaced it, so nobody is logged out."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

BEFORE = "django.contrib.auth.backends.ModelBackend"
AFTER = "quizzes.learners.UserAndLearnerBackend"


def rename_backend(apps, old, new):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))


def forwards(apps, schema_editor):
    rename_backend(apps, BEFORE, AFTER)


def backwards(apps, schema_editor):
    rename_backend(apps, AFTER, BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0012_version_ordering_by_column"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
