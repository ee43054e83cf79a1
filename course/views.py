from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

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


@require_GET
def outline(request):
    course = Course.objects.first()
    sections = list(Section.objects.published().select_related("quiz"))
    learner = current_learner(request)
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
        },
    )


@require_GET
def lesson(request, slug):
    section = get_object_or_404(
        visible_sections(request).select_related("course", "quiz"), slug=slug
    )
    published = Section.objects.published()
    previous_section = published.filter(sort_key__lt=section.sort_key).last()
    next_section = published.filter(sort_key__gt=section.sort_key).first()
    try:
        quiz = section.quiz
    except Section.quiz.RelatedObjectDoesNotExist:
        quiz = None
    learner = current_learner(request)
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
        },
    )


@require_GET
def health(request):
    """For load balancers and the benchmark's floor: the middleware stack and nothing else."""
    return HttpResponse("ok", content_type="text/plain")
