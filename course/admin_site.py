"""The admin site, named after the course instead of "Django administration"."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class CourseAdminSite(admin.AdminSite):
    site_title = "Course admin"
    site_header = "Course administration"
    index_title = "Edit the course and follow how learners do"

    def each_context(self, request):
        from course.models import Course  # the app registry is not ready when this loads

        context = super().each_context(request)
        title = Course.objects.values_list("title", flat=True).first()
        if title:
            context["site_title"] = f"{title} admin"
            context["site_header"] = f"{title}: administration"
        return context


class CourseAdminConfig(AdminConfig):
    default_site = "course.admin_site.CourseAdminSite"
