from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from quizzes.models import Attempt, Choice, Question, Quiz, Response, choice_set_problems


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", "prompt", "takeaway", "heading_id", "active"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["section", "title", "pass_mark", "shuffle"]
    search_fields = ["title", "section__title", "section__number"]
    inlines = [QuestionInline]


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Refuse what the importer refuses: too few choices or the wrong number right."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # The admin applies the question form to self.instance before validating choices,
        # so its kind is the one just submitted.
        problems = choice_set_problems(
            self.instance.kind,
            [(data.get("text", ""), data.get("correct", False)) for data in kept],
        )
        if problems:
            raise ValidationError(
                [ValidationError(p[0].upper() + p[1:] + ".", code="choices") for p in problems]
            )


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "correct", "feedback", "active"]
    extra = 0
    ordering = ["position"]
    formfield_overrides = {
        Choice._meta.get_field("feedback").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 50})
        }
    }


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["quiz", "position", "short_prompt", "kind", "active"]
    list_filter = ["quiz", "kind", "active"]
    search_fields = ["prompt", "explanation"]
    inlines = [ChoiceInline]
    fields = [
        "quiz",
        "position",
        "kind",
        "prompt",
        "explanation",
        "takeaway",
        "heading_id",
        "active",
    ]

    @admin.display(description="Prompt")
    def short_prompt(self, question):
        return question.prompt[:80]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "takeaway":
            kwargs["queryset"] = db_field.related_model.objects.select_related("section")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ResponseInline(admin.TabularInline):
    model = Response
    fields = ["position", "question", "correct", "confidence", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["learner", "quiz", "started_at", "finished_at", "score", "passed"]
    list_filter = ["quiz", "passed"]
    readonly_fields = [
        "learner",
        "quiz",
        "started_at",
        "finished_at",
        "question_count",
        "correct_count",
        "score",
        "passed",
    ]
    exclude = ["choice_order"]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
