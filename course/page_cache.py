"""Caching what is the same for everyone, under keys that change when the content does.

The content version is a token in the `shared` cache (settings.CACHES): a folder of files
every process on the machine reads, by default, or Redis when several servers run. Saving
or deleting course content, in the admin or by an import, makes a new token
(`content_changed`), so every key made from it changes at once on every process and
server: an edit, publish or unpublish shows on the next request, and what was cached
under the old token is never read again.

Whole pages: a visitor who is not signed in and has no progress yet sees the same course
home, chapter and lesson pages as every other such visitor, but for the CSRF token of a
form. Those pages are rendered once with a placeholder where the token goes, kept in the
`default` cache (each process's own, by default), and each visitor's own token is filled
in per request. Templates cache the parts of a learner's own page that are the same for
everyone (`{% cache CACHE_SECONDS name content_version ... %}`). No token and no learner's
data is ever cached.
"""

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

# Entries are never stale (their keys carry the content version); this only bounds how
# long an unused one takes memory.
CACHE_SECONDS = 60 * 60
CSRF_PLACEHOLDER = "csrf-token-placeholder-9f3c2a7e"
VERSION_KEY = "content-version"


# The version a request has read, so that it reads it once: see RequestContentVersion.
_read_by_request: ContextVar[dict | None] = ContextVar("content_version_read", default=None)


class RequestContentVersion:
    """Middleware: a request uses one content version throughout. Pages read the version
    before the content they key by it; read again later, after an edit committed in
    between, it would file what was read before the edit under the new version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_by_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_by_request.reset(token)


def content_version() -> str:
    """The current content version (this request's, once read); made on first use, or
    after the cache lost it."""
    read = _read_by_request.get()
    if read is not None and VERSION_KEY in read:
        return read[VERSION_KEY]
    shared = caches["shared"]
    version = shared.get(VERSION_KEY)
    if version is None:
        shared.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = shared.get(VERSION_KEY)  # whichever process added it first
    if read is not None:
        read[VERSION_KEY] = version
    return version


def content_changed() -> None:
    """A new content version, now and again once the transaction commits: now, so this
    process's next read sees the change even before it commits; on commit, so nothing
    another process cached from the rows as they were before the commit is read again."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version():
    caches["shared"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _on_content_saved_or_deleted(sender, **kwargs):
    content_changed()


def watch(*models) -> None:
    """Call `content_changed` whenever a row of these models is saved or deleted; the
    importer, which writes in bulk, calls it itself."""
    for model in models:
        uid = f"content_changed:{model._meta.label}"
        post_save.connect(_on_content_saved_or_deleted, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_content_saved_or_deleted, sender=model, dispatch_uid=uid)


def cached_parts_context() -> dict:
    """What a template's `{% cache cache_seconds name content_version ... %}` needs."""
    return {"cache_seconds": CACHE_SECONDS, "content_version": content_version()}


def shared_page(
    request: HttpRequest, *, key: str, render_page: Callable[..., HttpResponse]
) -> HttpResponse:
    """The cached page under `key` (for this content version), rendered by
    `render_page(csrf_token=...)` on a miss, with this visitor's own CSRF token filled in."""
    key = f"{key}:{content_version()}"
    page = cache.get(key)
    if page is None:
        page = render_page(csrf_token=CSRF_PLACEHOLDER).content.decode()
        cache.set(key, page, CACHE_SECONDS)
    if CSRF_PLACEHOLDER in page:
        page = page.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(page)
