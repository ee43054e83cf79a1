"""No cache keeps a page made from a visitor's session: it shows their progress or account.

Learner pages (the outline and lessons with progress, the quiz, results, review, My
progress) and account pages all read the session; the header names a signed-in user on
every page. So the rule is kept here once, for every view: a response that read a
non-empty session is `Cache-Control: private, no-store` (Django's never_cache headers).
Pages shared by visitors without progress (course/page_cache.py) and the health check
read no such session and are left alone.
"""

from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Place after SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            add_never_cache_headers(response)
        return response
