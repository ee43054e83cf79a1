"""Tell sections changed in the admin since their last import, which an import leaves alone.

Each import keeps, per section, the fingerprint of its files as the database then held
them (format.py). A section whose fingerprint has changed since was edited in the admin:
an import that would overwrite that edit with something else is a conflict.
`export_content` takes the admin's version into the files instead.
"""

from course.content.exporter import section_data, sections_with_content
from course.content.format import CourseData, SectionData, fingerprint
from course.models import Section


def find_conflicts(course_data: CourseData) -> list[SectionData]:
    """The sections of `course_data` that an import would overwrite an admin edit of.

    A section was edited since its last import when its fingerprint differs from the one
    kept then; it is a conflict unless its files already hold that edit (they were
    exported after it).
    """
    incoming = {data.slug: data for data in course_data.sections}
    conflicts = []
    for section in sections_with_content().filter(slug__in=incoming):
        current = fingerprint(section_data(section))
        if current not in (section.imported_hash, fingerprint(incoming[section.slug])):
            conflicts.append(incoming[section.slug])
    return conflicts


def remember_import(written: list[SectionData]) -> None:
    """Keep each written section's folder and fingerprint, to tell later admin edits."""
    folders = {data.slug: data.path.parent.name for data in written}
    for section in sections_with_content().filter(slug__in=folders):
        values = {
            "source_folder": folders[section.slug],
            "imported_hash": fingerprint(section_data(section)),
        }
        if any(getattr(section, name) != value for name, value in values.items()):
            Section.objects.filter(pk=section.pk).update(**values)
