"""The lessons in the admin: sections with a live preview, their key takeaways, the course."""

import math

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from course.models import Course, KeyTakeaway, Section
from course.rendering import render_markdown

LIVE_PREVIEW_TEMPLATE = "admin/course/section/live_preview.html"
# Added to every saved position while takeaways are renumbered: free numbers, so that two
# takeaways can swap places in one save without breaking "one position per section".
PARKED = 10_000


class CourseForm(forms.ModelForm):
    """The course; its chapter titles are edited as one field per chapter (see
    CourseAdmin.get_form), not as the raw JSON of `chapter_titles`."""

    class Meta:
        model = Course
        fields = ["title", "slug", "description"]

    def save(self, commit=True):
        self.instance.chapter_titles = {
            name.removeprefix("chapter_"): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("chapter_") and value.strip()
        }
        return super().save(commit)


def chapter_fields(course: Course | None) -> dict[str, forms.Field]:
    """A title field per chapter the course's sections make, and per chapter that already
    has a title."""
    titles = course.chapter_titles if course else {}
    chapters = {int(number) for number in titles if str(number).isdigit()}
    if course is not None:
        chapters |= set(course.sections.values_list("chapter", flat=True))
    return {
        f"chapter_{number}": forms.CharField(
            label=f"Chapter {number} title",
            required=False,
            max_length=200,
            initial=titles.get(str(number), ""),
            help_text="Shown above the chapter's sections in the outline; empty for none.",
        )
        for number in sorted(chapters)
    }


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = type("CourseForm", (CourseForm,), chapter_fields(obj))
        return super().get_form(request, obj, change=change, form=form, **kwargs)


class KeyTakeawayForm(forms.ModelForm):
    # Stands in for `position`, which is unique per section: checked against the database
    # row by row, it would refuse two takeaways swapping places. The formset sets it.
    order = forms.IntegerField(
        label="Position",
        min_value=1,
        required=False,
        help_text="Change the numbers to reorder; saving numbers the takeaways 1, 2, 3… "
        "A new takeaway without a number goes last.",
    )

    class Meta:
        model = KeyTakeaway
        fields = ["order", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position


class KeyTakeawayFormSet(forms.BaseInlineFormSet):
    def save(self, commit=True):
        kept = [
            form
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("order") or math.inf)
        for position, form in enumerate(kept, start=1):
            form.instance.position = position
        self.instance.takeaways.update(position=F("position") + PARKED)
        saved = super().save(commit)
        # Rows the user left unchanged were not saved: give them their new position too.
        for form in kept:
            KeyTakeaway.objects.filter(pk=form.instance.pk).update(position=form.instance.position)
        return saved


class KeyTakeawayInline(admin.TabularInline):
    model = KeyTakeaway
    form = KeyTakeawayForm
    formset = KeyTakeawayFormSet
    extra = 0
    min_num = 1
    ordering = ["position"]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["course", "number", "title", "slug", "summary", "published", "body"]
        widgets = {
            # The live preview: htmx posts the text (and the CSRF token) as the author types.
            "body": forms.Textarea(
                attrs={
                    "rows": 30,
                    "cols": 80,
                    "class": "markdown-source",
                    "hx-post": reverse_lazy("admin:course_section_preview"),
                    "hx-trigger": "input changed delay:500ms",
                    "hx-params": "body,csrfmiddlewaretoken",
                    "hx-target": "#live-preview",
                    "hx-swap": "outerHTML",
                }
            ),
            "summary": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionForm
    list_display = ["number", "title", "published", "updated_at"]
    list_display_links = ["title"]
    # Sections are ordered by number: editing the numbers in the list reorders them.
    list_editable = ["number"]
    list_filter = ["published", "chapter", "course"]
    search_fields = ["number", "title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview"]
    inlines = [KeyTakeawayInline]
    # The change page links to the learner's page itself, drafts included (see the template).
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["course", "number", "title", "slug", "summary", "published"]}),
        ("Lesson text", {"fields": [("body", "preview")]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.live_preview),
            name="course_section_preview",
        )
        return [preview, *super().get_urls()]

    @method_decorator(require_POST)
    def live_preview(self, request):
        """The body being typed, rendered and sanitized exactly as for the learner's page."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body_html = render_markdown(request.POST.get("body", ""))
        return TemplateResponse(request, LIVE_PREVIEW_TEMPLATE, {"body_html": body_html})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()  # the takeaways are saved after the section

    @admin.display(description="What learners see")
    def preview(self, section):
        # body_html was sanitized by course.rendering when the section was saved.
        return render_to_string(LIVE_PREVIEW_TEMPLATE, {"body_html": section.body_html})
