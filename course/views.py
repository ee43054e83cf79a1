from itertools import groupby

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from course.models import Course, Section
from quizzes.learners import current_learner
from quizzes.models import LessonCompletion
from quizzes.progress import course_progress, next_step, record_visit


def visible_sections(request):
    """Published sections; staff also see drafts, to preview them."""
    sections = Section.objects.all()
    if not (request.user.is_authenticated and request.user.is_staff):
        sections = sections.published()
    return sections


# A visitor who is not signed in and has no progress yet sees the same outline and lesson
# pages as every other such visitor, but for the CSRF token of the lesson's form. Those
# pages are rendered once with a placeholder where the token goes, kept in the cache
# (each process's own, by default) for SHARED_PAGE_SECONDS, and each visitor's own token
# is filled in per request: no token and no learner's data is ever cached. For everyone
# else, the lesson's text, takeaways and pager are cached the same way, apart from the
# learner's own parts. Content edits show within SHARED_PAGE_SECONDS.
SHARED_PAGE_SECONDS = 60
CSRF_PLACEHOLDER = "csrf-token-placeholder-9f3c2a7e"


def _shared_page(request, key, render_page):
    page = cache.get(key)
    if page is None:
        page = render_page(csrf_token=CSRF_PLACEHOLDER).content.decode()
        cache.set(key, page, SHARED_PAGE_SECONDS)
    if CSRF_PLACEHOLDER in page:
        page = page.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(page)


@require_safe
def outline(request):
    learner = current_learner(request)
    if learner is None and not request.user.is_authenticated:
        return _shared_page(
            request, "shared-page:outline", lambda **extra: _outline(request, None, **extra)
        )
    return _outline(request, learner)


def _outline(request, learner, **extra):
    course = Course.objects.first()
    sections = list(Section.objects.published().select_related("quiz"))
    progress = course_progress(learner, sections)
    chapters = [
        {
            "number": number,
            "title": course.chapter_title(number) if course else "",
            "entries": list(entries),
        }
        for number, entries in groupby(progress.sections, key=lambda e: e.section.chapter)
    ]
    step = next_step(progress, learner.last_section_id if learner else None)
    return render(
        request,
        "course/outline.html",
        {
            "course": course,
            "chapters": chapters,
            "progress": progress,
            "started": learner is not None,
            "next_section": step[0] if step else None,
            "next_kind": step[1] if step else None,
            **extra,
        },
    )


@require_safe
def lesson(request, slug):
    learner = current_learner(request)
    if learner is None and not request.user.is_authenticated:
        key = f"shared-page:lesson:{slug}"
        return _shared_page(request, key, lambda **extra: _lesson(request, slug, None, **extra))
    return _lesson(request, slug, learner)


def _lesson(request, slug, learner, **extra):
    section = get_object_or_404(
        visible_sections(request).select_related("course", "quiz"), slug=slug
    )
    # The pager shows the neighbours' number and title: no need for their text. They are
    # looked up only if the page's cached parts (see the template) are not at hand.
    published = Section.objects.published().only("number", "title", "slug", "sort_key")
    previous_section = SimpleLazyObject(
        lambda: published.filter(sort_key__lt=section.sort_key).last()
    )
    next_section = SimpleLazyObject(lambda: published.filter(sort_key__gt=section.sort_key).first())
    try:
        quiz = section.quiz
    except Section.quiz.RelatedObjectDoesNotExist:
        quiz = None
    read = False
    if learner is not None:
        record_visit(learner, section)
        read = LessonCompletion.objects.filter(learner=learner, section=section).exists()
    return render(
        request,
        "course/lesson.html",
        {
            "section": section,
            "takeaways": section.takeaways.all(),
            "quiz": quiz,
            "read": read,
            "previous_section": previous_section,
            "next_section": next_section,
            "shared_seconds": SHARED_PAGE_SECONDS,
            **extra,
        },
    )


@require_safe
def health(request):
    """For load balancers and the benchmark's floor: the middleware stack and nothing else."""
    return HttpResponse("ok", content_type="text/plain")
