"""Sliding sessions: a session lasts SESSION_COOKIE_AGE from the last visit, not the first.

Django sets a session's expiry when the session is saved, so saving it again moves the
expiry on. Saving on every request would be a write per page; once a day is enough for a
lifetime counted in months. A session saved anyway (a login, a learner's first answer)
notes the day for free.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

REFRESHED_ON = "refreshed_on"


def _note_today(session):
    today = timezone.now().date().isoformat()
    if session.get(REFRESHED_ON) != today:
        session[REFRESHED_ON] = today


class SlidingSessionMiddleware:
    """Place after SessionMiddleware: it marks the session modified at most once a day."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():  # a session this request read
            _note_today(session)
        return response


@receiver(user_logged_in, dispatch_uid="sliding_session_on_login")
def note_today_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        _note_today(request.session)
