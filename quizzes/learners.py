"""Who is learning: the signed-in user's learner, or the anonymous one in the session.

When an anonymous visitor signs up or logs in, their progress moves to the account
(`merge_learners`), in one transaction: nothing is lost and nothing doubles.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from quizzes.models import (
    Attempt,
    CompletionRecord,
    Learner,
    LessonCompletion,
    ReviewAnswer,
    ReviewItem,
)
from quizzes.review import reviews_changed

SESSION_KEY = "learner_id"


def current_learner(request: HttpRequest, *, create: bool = False) -> Learner | None:
    """The request's learner; None when it has none yet and `create` is not set. It is
    kept on the request: the page and its menu ask for it."""
    found = getattr(request, "_learner", None)
    if found is not None and found.user_id == request.user.pk:
        return found
    learner = _find_learner(request)
    if learner is None and create:
        learner = _make_learner(request)
    if learner is not None:
        request._learner = learner
    return learner


def _learners():
    """Learners as pages show them: with their completion record (the outline and My
    progress link to it)."""
    return Learner.objects.select_related("completion_record")


def _find_learner(request):
    user = request.user
    if user.is_authenticated:
        if get_user_model().learner.is_cached(user):
            # Fetched with the user, by UserAndLearnerBackend: no query.
            return getattr(user, "learner", None)
        return _learners().filter(user=user).first()
    learner_id = request.session.get(SESSION_KEY)
    if learner_id is None:
        return None
    return _learners().filter(pk=learner_id, user=None).first()


def _make_learner(request):
    if request.user.is_authenticated:
        return Learner.objects.get_or_create(user=request.user)[0]
    browser = _browser_key(request)
    if browser is None:
        learner = Learner.objects.create()
    else:
        # Two first requests of one browser at once (a double-clicked Start) carry no
        # session yet, but the same CSRF cookie: they make one learner, not two.
        learner = Learner.objects.get_or_create(browser_key=browser, user=None)[0]
    request.session[SESSION_KEY] = learner.pk
    return learner


# The backend a sign-in through the login form records (django-axes' comes first in
# AUTHENTICATION_BACKENDS, but only refuses locked-out logins); code that logs a user in
# itself names it too, so that their requests fetch the learner with the user.
LOGIN_BACKEND = "quizzes.learners.UserAndLearnerBackend"


class UserAndLearnerBackend(ModelBackend):
    """Django's own authentication, but a signed-in request's user comes with its
    learner and the learner's completion record: one query where the user and
    `current_learner` would take two."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("learner__completion_record")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def _browser_key(request):
    """A key for the browser, from its CSRF cookie: every form post carries one."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    return salted_hmac("quizzes.learners.browser", secret, algorithm="sha256").hexdigest()


def merge_learners(*, source: Learner, target: Learner) -> None:
    """Move everything `source` did to `target`, then delete `source`.

    A lesson read by both stays one completion; every attempt keeps its history (best
    and latest scores follow from them). If both have the same quiz open, the source's
    attempt (the one in use in this browser) stays open and the target's is abandoned.
    """
    with transaction.atomic():
        source = Learner.objects.select_for_update().get(pk=source.pk)
        read_by_target = LessonCompletion.objects.filter(learner=target).values("section_id")
        LessonCompletion.objects.filter(learner=source, section_id__in=read_by_target).delete()
        LessonCompletion.objects.filter(learner=source).update(learner=target)
        open_in_source = Attempt.objects.filter(
            learner=source, finished_at=None, abandoned=False
        ).values("quiz_id")
        Attempt.objects.filter(
            learner=target, finished_at=None, abandoned=False, quiz_id__in=open_in_source
        ).update(abandoned=True)
        Attempt.objects.filter(learner=source).update(learner=target)
        _merge_review_items(source, target)
        reviews_changed(target)
        _merge_completion_records(source, target)
        if source.last_section_id:
            Learner.objects.filter(pk=target.pk).update(last_section_id=source.last_section_id)
        source.delete()


def _merge_completion_records(source, target):
    """One record per learner: the earlier one stays, so an address already shared keeps
    working when it is the anonymous learner's."""
    records = sorted(
        CompletionRecord.objects.filter(learner__in=[source, target]),
        key=lambda record: record.completed_at,
    )
    if records and records[0].learner_id == source.pk:
        CompletionRecord.objects.filter(learner=target).delete()
        CompletionRecord.objects.filter(pk=records[0].pk).update(learner=target)


def _merge_review_items(source, target):
    """One item per takeaway: the one due soonest stays, keeping both histories."""
    kept_by_target = {item.takeaway_id: item for item in target.review_items.all()}
    for item in source.review_items.all():
        other = kept_by_target.get(item.takeaway_id)
        if other is None:
            ReviewItem.objects.filter(pk=item.pk).update(learner=target)
            continue
        keep, drop = sorted([item, other], key=_due_first)
        ReviewAnswer.objects.filter(item=drop).update(item=keep)
        ReviewItem.objects.filter(pk=keep.pk).update(
            learner=target,
            # Retained only if both say so: a miss on either side was the same person's.
            retained=keep.retained and drop.retained,
            ever_missed=keep.ever_missed or drop.ever_missed,
            reviews=keep.reviews + drop.reviews,
        )
        drop.delete()


def _due_first(item):
    return (item.due_at is None, item.due_at or 0)


@receiver(user_logged_in, dispatch_uid="move_session_progress_to_account")
def move_session_progress_to_account(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    learner_id = request.session.pop(SESSION_KEY, None)
    if learner_id is None:
        return
    source = Learner.objects.filter(pk=learner_id, user=None).first()
    if source is None:
        return
    with transaction.atomic():
        target, _ = Learner.objects.get_or_create(user=user)
        merge_learners(source=source, target=target)
