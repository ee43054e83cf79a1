from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from course.models import Course, Section


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
    chapters = [
        {
            "number": number,
            "title": course.chapter_title(number) if course else "",
            "sections": list(group),
        }
        for number, group in groupby(sections, key=lambda section: section.chapter)
    ]
    return render(request, "course/outline.html", {"course": course, "chapters": chapters})


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
    return render(
        request,
        "course/lesson.html",
        {
            "section": section,
            "takeaways": section.takeaways.all(),
            "quiz": quiz,
            "previous_section": previous_section,
            "next_section": next_section,
        },
    )
