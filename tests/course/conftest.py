"""Helpers for the course tests."""


def section_form(section, **changes):
    """The admin change form's POST data for `section` as it is, with `changes` applied."""
    takeaways = list(section.takeaways.all())
    data = {
        "course": section.course_id,
        "number": section.number,
        "title": section.title,
        "slug": section.slug,
        "summary": section.summary,
        "published": "on" if section.published else "",
        "body": section.body,
        "takeaways-TOTAL_FORMS": len(takeaways),
        "takeaways-INITIAL_FORMS": len(takeaways),
        "takeaways-MIN_NUM_FORMS": 1,
        "takeaways-MAX_NUM_FORMS": 1000,
    }
    for index, takeaway in enumerate(takeaways):
        data.update(
            {
                f"takeaways-{index}-id": takeaway.pk,
                f"takeaways-{index}-section": section.pk,
                f"takeaways-{index}-order": takeaway.position,
                f"takeaways-{index}-text": takeaway.text,
            }
        )
    data.update(changes)
    return data
