import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.support import manage

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "course.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://course.example.org",
    "DJANGO_HTTPS": "1",
    "DJANGO_HSTS_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
    "DJANGO_EMAIL_HOST": "smtp.example.org",
    "DJANGO_EMAIL_PORT": "587",
    "DJANGO_EMAIL_USE_TLS": "1",
}


@pytest.mark.system
def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_out_from_that_address(client):
    get_user_model().objects.create_user("ada", password="the-right-passphrase-42")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "ada", "password": "wrong"})
        assert response.status_code == 200
    assert client.post(reverse("login"), {"username": "ada", "password": "x"}).status_code == 429
    locked = client.post(
        reverse("login"), {"username": "ada", "password": "the-right-passphrase-42"}
    )
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_for_one_account_do_not_lock_out_another(client):
    user_model = get_user_model()
    user_model.objects.create_user("ada", password="the-right-passphrase-42")
    user_model.objects.create_user("bob", password="bobs-own-passphrase-42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "bob", "password": "bobs-own-passphrase-42"}
    )
    assert response.status_code == 302


@pytest.mark.system
def test_the_admin_path_comes_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        env={"DJANGO_DEBUG": "1", "DJANGO_ADMIN_PATH": "backstage/"},
    )
    assert result.stdout.strip().splitlines()[-1] == "/backstage/"


@pytest.mark.django_db
def test_setting_a_new_password_by_email_lifts_the_lockout(client):
    from django.core import mail

    get_user_model().objects.create_user("ada", email="ada@example.org", password="old-pass-42x")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase-77"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    response = client.post(reverse("login"), {"username": "ada", "password": new})
    assert response.status_code == 302
