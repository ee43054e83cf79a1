"""The completion record's page: shown to anyone with its address, and nothing else about
the learner (no attempts, no progress beyond the record)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from course.models import Course, Section
from quizzes.learners import current_learner
from quizzes.models import CompletionRecord
from quizzes.progress import course_progress


@require_safe
def completion_record_page(request: HttpRequest, token: str) -> HttpResponse:
    record = get_object_or_404(
        CompletionRecord.objects.select_related("learner__user"), token=token
    )
    learner = record.learner
    # Only an anonymous learner, looking at their own record, is offered to keep it.
    offer_sign_up = (
        learner.user is None
        and not request.user.is_authenticated
        and current_learner(request) == learner
    )
    response = TemplateResponse(
        request,
        "quizzes/completion_record.html",
        {
            "record": record,
            "course": Course.objects.first(),
            "name": (learner.user.get_full_name() or learner.user.get_username())
            if learner.user
            else "",
            "progress": course_progress(learner, Section.objects.published()),
            "offer_sign_up": offer_sign_up,
            "share_url": request.build_absolute_uri(record.get_absolute_url()),
        },
    )
    response["X-Robots-Tag"] = "noindex"  # shared on purpose, but not for search engines
    return response
