"""Sign-up; log in, log out and passwords are django.contrib.auth's own views, with limits."""

from axes.utils import reset as reset_login_failures
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from course.project.proxies import client_address
from course.project.rate_limits import within_limit
from quizzes.learners import LOGIN_BACKEND

HOUR = 60 * 60


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional; only used to reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    next_url = _safe_next(request, "/progress/")
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Logging in moves the visitor's session progress to the new account.
        login(request, user, backend=LOGIN_BACKEND)
        return redirect(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Setting a new password from the emailed link also lifts a login lockout: the
    locked-out page sends people here."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_failures(username=form.user.get_username())
        return response


class PasswordReset(auth_views.PasswordResetView):
    """A few reset mails an hour per address, per account and per client address, so the
    form cannot be used to flood someone's inbox. The page after it says the same whether a
    mail went out or not: it tells no one which addresses have accounts."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        per_mailbox = settings.PASSWORD_RESET_LIMIT
        limits = {f"address:{email.lower()}": per_mailbox}
        limits.update({f"account:{user.pk}": per_mailbox for user in form.get_users(email)})
        limits[f"client:{client_address(self.request)}"] = settings.PASSWORD_RESET_CLIENT_LIMIT
        # Every key counts this request, even when another is over its limit already.
        allowed = [
            within_limit(action="password-reset", key=key, limit=limit, seconds=HOUR)
            for key, limit in limits.items()
        ]
        if all(allowed):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


@receiver(user_logged_out, dispatch_uid="say_logged_out")
def say_logged_out(sender, request, user, **kwargs):
    """The page logging out lands on says it worked (the session is new by then)."""
    if request is not None:
        # Tagged "site": the site's pages show only their own messages, not the admin's.
        messages.success(request, "You are logged out.", extra_tags="site")
