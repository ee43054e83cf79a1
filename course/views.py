"""The lessons app's pages: the course home, a chapter's sections, a section's lesson and
search."""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from course.models import Section, course_and_chapters, without_lesson_text
from course.page_cache import (
    CACHE_SECONDS,
    cached_parts_context,
    content_version,
    shared_page,
)
from course.search import QueryTooLong, search_sections
from quizzes.completion import completion_record
from quizzes.learners import current_learner
from quizzes.models import LessonCompletion
from quizzes.progress import (
    course_progress,
    course_summary,
    next_step,
    quiz_record,
    record_visit,
)
from quizzes.review import reviews_due_today

SEARCH_RESULTS = 20


def visible_sections(request: HttpRequest):
    """Published sections; staff also see drafts, to preview them."""
    sections = Section.objects.all()
    if not (request.user.is_authenticated and request.user.is_staff):
        sections = sections.published()
    return sections


def _sees_the_shared_page(request, learner):
    """A visitor without progress, not signed in, and with no message waiting for them
    (such as "You are logged out."): a message is theirs alone, never cached."""
    return (
        learner is None
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


@require_safe
def outline(request: HttpRequest) -> HttpResponse:
    """The course home: the chapters, with the learner's progress in each, and Continue."""
    learner = current_learner(request)
    if _sees_the_shared_page(request, learner):
        return shared_page(
            request,
            key="shared-page:outline",
            render_page=lambda **extra: _render_outline(request, None, **extra),
        )
    return _render_outline(request, learner)


def _render_outline(request, learner, **extra):
    summary = course_summary(learner)
    return render(
        request,
        "course/outline.html",
        {
            "course": summary.course,
            "summary": summary,
            "started": learner is not None,
            "reviews_due": reviews_due_today(learner),
            "step": next_step(learner),
            "completion_record": completion_record(learner=learner, complete=summary.complete),
            **cached_parts_context(),
            **extra,
        },
    )


@require_safe
def chapter(request: HttpRequest, number: int) -> HttpResponse:
    """One chapter's sections, each with the learner's progress on it."""
    learner = current_learner(request)
    if _sees_the_shared_page(request, learner):
        return shared_page(
            request,
            key=f"shared-page:chapter:{number}",
            render_page=lambda **extra: _render_chapter(request, number, None, **extra),
        )
    return _render_chapter(request, number, learner)


def _render_chapter(request, number, learner, **extra):
    course, chapters = course_and_chapters()
    place = next((i for i, chapter in enumerate(chapters) if chapter.number == number), None)
    if place is None:
        raise Http404("No published section in this chapter.")
    return render(
        request,
        "course/chapter.html",
        {
            "course": course,
            "chapter": chapters[place],
            "progress": course_progress(
                learner, Section.objects.published().filter(chapter=number)
            ),
            "started": learner is not None,
            "next_chapter": chapters[place + 1] if place + 1 < len(chapters) else None,
            **cached_parts_context(),
            **extra,
        },
    )


@require_safe
def lesson(request: HttpRequest, slug: str) -> HttpResponse:
    learner = current_learner(request)
    if _sees_the_shared_page(request, learner):
        return shared_page(
            request,
            key=f"shared-page:lesson:{slug}",
            render_page=lambda **extra: _render_lesson(request, slug, None, **extra),
        )
    return _render_lesson(request, slug, learner)


def _lesson_section(request, slug):
    """The section at `slug`, with its course and quiz. A published one is the same for
    everyone, so it is kept in the cache under the content version; staff may also see
    drafts. The lesson's text is read only when the page's cached parts (see the
    template) are not at hand; the Markdown and the search text never."""
    sections = visible_sections(request).select_related("course", "quiz")
    sections = sections.defer(*without_lesson_text())
    if request.user.is_staff:
        return get_object_or_404(sections, slug=slug)
    key = f"lesson-section:{slug}:{content_version()}"
    section = cache.get(key)
    if section is None:
        section = get_object_or_404(sections, slug=slug)
        cache.set(key, section, CACHE_SECONDS)
    return section


def _render_lesson(request, slug, learner, **extra):
    section = _lesson_section(request, slug)
    # The pager shows the neighbours' number and title: no need for their text. They are
    # looked up only if the page's cached parts (see the template) are not at hand.
    published = Section.objects.published().only("number", "title", "slug", "sort_key")
    previous_section = SimpleLazyObject(
        lambda: published.filter(sort_key__lt=section.sort_key).last()
    )
    next_section = SimpleLazyObject(lambda: published.filter(sort_key__gt=section.sort_key).first())
    quiz = section.quiz_or_none()
    record_visit(learner=learner, section=section)
    return render(
        request,
        "course/lesson.html",
        {
            "section": section,
            "takeaways": section.takeaways.all(),
            "quiz": quiz,
            "quiz_record": quiz_record(learner=learner, quiz=quiz),
            "read": learner is not None
            and LessonCompletion.objects.filter(learner=learner, section=section).exists(),
            "previous_section": previous_section,
            "next_section": next_section,
            **cached_parts_context(),
            **extra,
        },
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Published sections matching the words of ?q=, with the passage that matched."""
    query = request.GET.get("q", "")
    status, results, message = 200, [], ""
    try:
        results = search_sections(query, limit=SEARCH_RESULTS)
    except QueryTooLong as error:
        status, message = 400, str(error)
    else:
        if not query.strip():
            message = "Type one or more words to search the lessons."
    return render(
        request,
        "course/search.html",
        {"search_query": query, "results": results, "message": message},
        status=status,
    )
