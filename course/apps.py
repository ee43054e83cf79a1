"""The lessons app."""

from django.apps import AppConfig


class CourseConfig(AppConfig):
    name = "course"
    verbose_name = "Course"

    def ready(self):
        from course.models import Course, KeyTakeaway, Section
        from course.page_cache import watch
        from course.project import sessions  # noqa: F401  (connects its login signal)

        watch(Course, Section, KeyTakeaway)
