"""The shared-page cache: whole pages that are the same for every visitor but the CSRF token.

A visitor who is not signed in and has no progress yet sees the same outline and lesson
pages as every other such visitor, but for the CSRF token of the lesson's form. Those
pages are rendered once with a placeholder where the token goes, kept in the cache (each
process's own, by default) for SHARED_PAGE_SECONDS, and each visitor's own token is filled
in per request: no token and no learner's data is ever cached. Templates cache the parts of
a learner's own page that are the same for everyone for as long. Content edits show within
SHARED_PAGE_SECONDS.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

SHARED_PAGE_SECONDS = 60
CSRF_PLACEHOLDER = "csrf-token-placeholder-9f3c2a7e"


def shared_page(
    request: HttpRequest, *, key: str, render_page: Callable[..., HttpResponse]
) -> HttpResponse:
    """The cached page under `key`, rendered by `render_page(csrf_token=...)` on a miss,
    with this visitor's own CSRF token filled in."""
    page = cache.get(key)
    if page is None:
        page = render_page(csrf_token=CSRF_PLACEHOLDER).content.decode()
        cache.set(key, page, SHARED_PAGE_SECONDS)
    if CSRF_PLACEHOLDER in page:
        page = page.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(page)
