from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from course.models import Course, KeyTakeaway, Section


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class KeyTakeawayInline(admin.TabularInline):
    model = KeyTakeaway
    extra = 0
    min_num = 1
    ordering = ["position"]
    formfield_overrides = {
        KeyTakeaway._meta.get_field("text").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 80})
        }
    }


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["course", "number", "title", "slug", "summary", "published", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "markdown-source"}),
            "summary": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionForm
    list_display = ["number", "title", "published", "updated_at"]
    list_display_links = ["number", "title"]
    list_filter = ["published", "chapter", "course"]
    search_fields = ["number", "title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview"]
    inlines = [KeyTakeawayInline]
    fieldsets = [
        (None, {"fields": ["course", "number", "title", "slug", "summary", "published"]}),
        ("Lesson text", {"fields": ["body", "preview"]}),
    ]

    @admin.display(description="What learners see (saved version)")
    def preview(self, section):
        if not section.pk:
            return "Save to see the preview."
        # body_html was sanitized by course.rendering when the section was saved.
        return format_html(
            '<div class="lesson-body lesson-preview" hx-disable>{}</div>',
            mark_safe(section.body_html),
        )
