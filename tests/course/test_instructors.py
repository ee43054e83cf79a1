from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from course.instructors import INSTRUCTORS_GROUP
from quizzes.models import Attempt, Learner
from quizzes.scoring import start_attempt
from tests.support import INSTRUCTOR_PASSWORD, section_form

pytestmark = pytest.mark.django_db


def create_instructor(*args):
    out = StringIO()
    call_command("createinstructor", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_instructors_group_edits_the_course_and_reads_results():
    permissions = set(
        Group.objects.get(name=INSTRUCTORS_GROUP).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    for model in ["section", "keytakeaway"]:
        for action in ["add", "change", "view"]:
            assert ("course", f"{action}_{model}") in permissions
    for model in ["quiz", "question", "choice"]:
        for action in ["add", "change", "view"]:
            assert ("quizzes", f"{action}_{model}") in permissions
    for model in ["attempt", "answer", "learner", "lessoncompletion"]:
        assert ("quizzes", f"view_{model}") in permissions
        assert ("quizzes", f"change_{model}") not in permissions
        assert ("quizzes", f"delete_{model}") not in permissions
    assert ("course", "delete_section") not in permissions
    assert ("quizzes", "delete_question") not in permissions
    assert not {app for app, _ in permissions} - {"course", "quizzes"}


def test_createinstructor_makes_a_staff_account_in_the_group():
    out = create_instructor("alice", "--password", INSTRUCTOR_PASSWORD, "--email", "a@example.org")
    user = get_user_model().objects.get(username="alice")
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(INSTRUCTOR_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [INSTRUCTORS_GROUP]
    assert "alice is an instructor" in out


def test_createinstructor_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_INSTRUCTOR_PASSWORD", INSTRUCTOR_PASSWORD)
    create_instructor("alice", "--no-input")
    assert get_user_model().objects.get(username="alice").check_password(INSTRUCTOR_PASSWORD)


def test_createinstructor_refuses_a_weak_password():
    with pytest.raises(CommandError, match="too common"):
        create_instructor("alice", "--password", "password")
    assert not get_user_model().objects.filter(username="alice").exists()


def test_createinstructor_needs_a_password_for_a_new_account():
    with pytest.raises(CommandError, match="needs a password"):
        create_instructor("alice", "--no-input")


def test_createinstructor_moves_an_existing_account_into_the_group():
    user = get_user_model().objects.create_user("bob", password=INSTRUCTOR_PASSWORD)
    create_instructor("bob", "--no-input")
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert user.check_password(INSTRUCTOR_PASSWORD)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:course_section_changelist",
        "admin:course_section_add",
        "admin:quizzes_quiz_changelist",
        "admin:quizzes_question_changelist",
        "admin:quizzes_question_add",
        "admin:quizzes_attempt_changelist",
    ],
)
def test_an_instructor_opens_the_course_and_results_pages(instructor_client, url_name):
    assert instructor_client.get(reverse(url_name)).status_code == 200


def test_an_instructor_changes_a_section(instructor_client, seed_course):
    response = instructor_client.post(
        reverse("admin:course_section_change", args=[seed_course.pk]),
        section_form(seed_course, title="Renamed by an instructor"),
    )
    assert response.status_code == 302
    seed_course.refresh_from_db()
    assert seed_course.title == "Renamed by an instructor"


def test_an_instructor_cannot_delete_a_section_or_a_question(instructor_client, seed_course):
    question = seed_course.quiz.questions.first()
    for url in [
        reverse("admin:course_section_delete", args=[seed_course.pk]),
        reverse("admin:quizzes_question_delete", args=[question.pk]),
    ]:
        assert instructor_client.get(url).status_code == 403
        assert instructor_client.post(url, {"post": "yes"}).status_code == 403


def test_an_instructor_reads_attempts_but_cannot_change_them(instructor_client, seed_course):
    attempt = start_attempt(learner=Learner.objects.create(), quiz=seed_course.quiz)
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    page = instructor_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert instructor_client.post(url, {}).status_code == 403
    delete_url = reverse("admin:quizzes_attempt_delete", args=[attempt.pk])
    assert instructor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Attempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda user: reverse("admin:auth_user_changelist"),
        lambda user: reverse("admin:auth_user_add"),
        lambda user: reverse("admin:auth_user_change", args=[user.pk]),
        lambda user: reverse("admin:auth_user_password_change", args=[user.pk]),
        lambda user: reverse("admin:auth_group_changelist"),
        lambda user: reverse("admin:auth_group_add"),
    ],
    ids=["users", "add-user", "change-user", "user-password", "groups", "add-group"],
)
def test_an_instructor_has_no_access_to_users_or_groups(instructor_client, instructor, url):
    assert instructor_client.get(url(instructor)).status_code == 403


def test_the_admin_index_shows_an_instructor_no_accounts(instructor_client):
    html = instructor_client.get(reverse("admin:index")).content.decode()
    assert "Sections" in html
    assert "Users" not in html
    assert "Groups" not in html


def test_a_superuser_keeps_everything(admin_client, seed_course):
    assert admin_client.get(reverse("admin:auth_user_changelist")).status_code == 200
    url = reverse("admin:course_section_delete", args=[seed_course.pk])
    assert admin_client.get(url).status_code == 200
