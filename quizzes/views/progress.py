"""The learner's progress: marking a lesson read, and the My progress page with the
attempt history."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from course.models import Section
from quizzes.completion import completion_record
from quizzes.learners import current_learner
from quizzes.models import Attempt
from quizzes.progress import course_progress, set_lesson_complete
from quizzes.views.common import wants_fragment

SAY_COMPLETE = "Say whether the lesson is complete (1) or not (0)."


@never_cache
@require_POST
def lesson_complete(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark a lesson read (complete=1) or not read (complete=0)."""
    section = get_object_or_404(Section.objects.published(), slug=slug)
    complete = request.POST.get("complete")
    if complete not in ("0", "1"):
        return TemplateResponse(
            request, "quizzes/refused.html", {"attempt": None, "message": SAY_COMPLETE}, status=400
        )
    learner = current_learner(request, create=complete == "1")
    if learner is not None:
        set_lesson_complete(learner=learner, section=section, complete=complete == "1")
    if not wants_fragment(request):
        return redirect(f"{section.get_absolute_url()}#completion")
    return TemplateResponse(
        request,
        "course/lesson.html#completion",
        {"section": section, "read": complete == "1", "just_changed": True},
    )


@never_cache
@require_safe
def my_progress(request: HttpRequest) -> HttpResponse:
    learner = current_learner(request)
    attempts = []
    if learner is not None:
        attempts = list(
            Attempt.objects.filter(
                learner=learner, finished_at__isnull=False, quiz__section__published=True
            )
            .select_related("quiz__section")
            .order_by("-finished_at")
        )
    progress = course_progress(learner, Section.objects.published())
    return TemplateResponse(
        request,
        "quizzes/progress.html",
        {
            "progress": progress,
            "attempts": attempts,
            "completion_record": completion_record(learner=learner, complete=progress.complete),
        },
    )
