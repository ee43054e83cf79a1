"""Editing quizzes in the admin: quizzes, their questions and choices, and the learner's
preview of a question."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator

from course.models import KeyTakeaway, Section
from course.rendering import plain_text
from quizzes.admin.item_analysis import ItemAnalysisColumns
from quizzes.cards import lesson_link, question_card
from quizzes.checking import Part
from quizzes.models import (
    Choice,
    Pair,
    Question,
    Quiz,
    choice_set_problems,
    key_from,
    pair_problems,
)
from quizzes.versions import current_versions, record_versions


@admin.display(description="Prompt")
def short_prompt(question):
    """The prompt as learners read it, without Markdown's asterisks."""
    return plain_text(question.prompt_html, limit=80)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", short_prompt, "takeaway", "heading_id", "active"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quiz)
class QuizAdmin(ItemAnalysisColumns, admin.ModelAdmin):
    list_display = ["section", "title", "pass_mark", "shuffle", "attempts", "pass_rate"]
    search_fields = ["title", "section__title", "section__number"]
    fields = ["section", "title", "pass_mark", "shuffle", "item_analysis"]
    readonly_fields = ["item_analysis"]
    inlines = [QuestionInline]


class PositionedFormSet(forms.BaseInlineFormSet):
    """Rows whose position is left empty go after the others, in the order shown."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["position"].required = False
        form.fields["position"].help_text = "Empty: after the others."

    def clean(self):
        super().clean()
        rows = [form for form in self.forms if form.cleaned_data]
        taken = [form.cleaned_data.get("position") or 0 for form in rows]
        following = max(taken, default=0) + 1
        for form in rows:
            if form.cleaned_data.get("position") is None:
                # The row's instance was made from its fields before this formset check.
                form.cleaned_data["position"] = form.instance.position = following
                following += 1


class ChoiceFormSet(PositionedFormSet):
    """Refuse what the importer refuses: too few choices, the wrong number right, or right
    and wrong choices on a match or order question (its options or items).

    Only active choices count: new attempts do not offer retired ones. Deleting a choice
    learners picked is safe: their answers keep the version of the question they saw.
    """

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("active")
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
    fields = ["position", "key", "text", "correct", "feedback", "active"]
    ordering = ["position"]
    formfield_overrides = {
        Choice._meta.get_field("feedback").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 40})
        }
    }

    def get_extra(self, request, obj=None, **kwargs):
        # A new question starts with rows to fill; a saved one has its own.
        return 3 if obj is None else 0


class PairFormSet(PositionedFormSet):
    """A match question's pairs, each answered by the key of one of its choices; other
    kinds have none."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if self.instance.kind != Question.MATCH:
            if kept:
                raise ValidationError("Only match questions have pairs.", code="pairs")
            return
        problems = pair_problems(
            self._option_keys(),
            [(data.get("text", ""), data.get("answer", "")) for data in kept],
            reuse_options=self.instance.reuse_options,
        )
        if problems:
            raise ValidationError(
                [ValidationError(p[0].upper() + p[1:] + ".", code="pairs") for p in problems]
            )

    def _option_keys(self):
        """The keys of the choices submitted with the pairs (a new choice's key is made
        from its text, as saving it will)."""
        keys = set()
        for index in range(int(self.data.get("choices-TOTAL_FORMS") or 0)):
            field = f"choices-{index}-"
            if self.data.get(field + "DELETE") or not self.data.get(field + "active"):
                continue
            keys.add(self.data.get(field + "key") or key_from(self.data.get(field + "text", ""),
                                                             taken=keys))  # fmt: skip
        return keys


class PairInline(admin.TabularInline):
    model = Pair
    formset = PairFormSet
    fields = ["position", "key", "text", "answer", "feedback"]
    extra = 0
    ordering = ["position"]
    verbose_name = "pair (match questions: a prompt and the key of the choice that answers it)"
    formfield_overrides = {
        Pair._meta.get_field("feedback").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 40})
        }
    }


CARD_TEMPLATE = "quizzes/question.html#question-card"


class QuestionForm(forms.ModelForm):
    """A question, with its takeaway chosen by text and its heading by title from its own
    section; with no quiz chosen yet (a new question), both are grouped by section."""

    class Meta:
        model = Question
        fields = [
            "quiz",
            "position",
            "kind",
            "reuse_options",
            "prompt",
            "explanation",
            "takeaway",
            "heading_id",
            "key",
            "active",
        ]
        widgets = {"heading_id": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = "Empty: after the quiz's last question."
        quiz = self._quiz()
        sections = (
            [quiz.section]
            if quiz
            else list(Section.objects.prefetch_related("takeaways").select_related("quiz"))
        )
        if quiz:
            self.fields["takeaway"].queryset = KeyTakeaway.objects.filter(section=quiz.section)
            if not self.instance.pk:
                self.fields["position"].initial = _next_position(quiz)
        self.fields["takeaway"].choices = _grouped(
            sections,
            lambda section: [(t.pk, Truncator(t.text).chars(120)) for t in section.takeaways.all()],
        )
        headings = _grouped(
            sections,
            lambda section: [
                (entry["id"], ("— " if entry["level"] == 3 else "") + entry["text"])
                for entry in section.toc
            ],
        )
        current = self.initial.get("heading_id")
        if current and all(current != value for value, _text in _options(headings)):
            headings.append((current, f"{current} (not a heading of the lesson)"))
        self.fields["heading_id"].widget.choices = headings
        self.fields["heading_id"].help_text = "The lesson heading that teaches this question."

    def _quiz(self):
        """The quiz the question belongs to, chosen or given in the address (?quiz=)."""
        if self.instance.quiz_id:
            return self.instance.quiz
        chosen = self.data.get(self.add_prefix("quiz")) or self.initial.get("quiz")
        if isinstance(chosen, Quiz):
            return chosen
        if chosen and str(chosen).isdigit():
            return Quiz.objects.select_related("section").filter(pk=chosen).first()
        return None

    def clean(self):
        cleaned = super().clean()
        quiz = cleaned.get("quiz")
        if cleaned.get("position") is None and quiz:
            cleaned["position"] = _next_position(quiz)
        return cleaned


def _next_position(quiz):
    """After the quiz's last active question."""
    positions = quiz.questions.filter(active=True).values_list("position", flat=True)
    return max(positions, default=0) + 1


def _grouped(sections, options_of):
    """Options for a select: those of the one section, or each section's under its name."""
    if len(sections) == 1:
        return [("", "---------"), *options_of(sections[0])]
    return [("", "---------")] + [
        (str(section), options) for section in sections if (options := options_of(section))
    ]


def _options(choices):
    """Every (value, text) of a select's choices, groups opened."""
    for value, text in choices:
        if isinstance(text, list):
            yield from text
        else:
            yield value, text


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["quiz", "position", short_prompt, "kind", "active"]
    list_filter = ["quiz", "kind", "active"]
    search_fields = ["prompt", "explanation"]
    inlines = [ChoiceInline, PairInline]
    fields = QuestionForm.Meta.fields

    def save_related(self, request, form, formsets, change):
        """Once the choices are saved too: a changed meaning is the question's next version,
        which new attempts ask; answers keep the version they were given."""
        super().save_related(request, form, formsets, change)
        question = Question.objects.prefetch_related("choices", "pairs").get(pk=form.instance.pk)
        record_versions([question])

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.learner_preview),
            name="quizzes_question_preview",
        )
        return [preview, *super().get_urls()]

    def learner_preview(self, request, object_id):
        """The saved question's card on the learner's site: before answering, after a right
        answer, and after each wrong choice (so every feedback can be read)."""
        question = self.get_object(request, unquote(object_id))
        if question is None:
            raise Http404
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        quiz = question.quiz
        current_versions([question])
        version = question.current_version
        choices = list(version.choices.all())
        count = quiz.questions.filter(active=True).count()
        progress = {"progress_text": f"Question {question.position} of {count}"}
        lesson_url = lesson_link(question, section=quiz.section)

        def card(key, **answer):
            # Several cards on one page: each gets its own element ids.
            context = question_card(
                version, choices, lesson_url=lesson_url, card_key=f"-{key}", **answer
            )
            return render_to_string(CARD_TEMPLATE, {**progress, **context}, request)

        if version.in_parts:
            cards, wrong_answers = _parts_preview(version, card)
        else:
            right_ids = {choice.pk for choice in choices if choice.correct}
            cards = [
                ("Before answering", card("before")),
                (
                    "After a right answer",
                    card("right", locked=True, chosen_ids=right_ids, correct=True),
                ),
            ]
            wrong_answers = [
                (
                    f"After choosing “{choice.text}”",
                    card(f"wrong-{choice.pk}", locked=True, chosen_ids={choice.pk}, correct=False),
                )
                for choice in choices
                if not choice.correct
            ]
        return TemplateResponse(
            request,
            "quizzes/question_preview.html",
            {
                "question": question,
                "quiz": quiz,
                "change_url": reverse("admin:quizzes_question_change", args=[question.pk]),
                "cards": cards,
                "wrong_answers": wrong_answers,
            },
        )


def _parts_preview(version, card):
    """A match or order question's cards: before answering, all right, and all wrong (each
    prompt given the next option, or the items in reverse), so every feedback shows."""
    choices = sorted(version.choices.all(), key=lambda choice: choice.position)
    if version.kind == Question.MATCH:
        keys = [choice.key for choice in choices]
        pairs = list(version.pairs.all())
        right = [Part(pair.key, pair.answer_key, True) for pair in pairs]
        wrong = [
            Part(pair.key, keys[(keys.index(pair.answer_key) + 1) % len(keys)], False)
            for pair in pairs
        ]
    else:
        count = len(choices)
        right = [Part(c.key, str(place), True) for place, c in enumerate(choices, start=1)]
        wrong = [
            Part(c.key, str(count + 1 - place), count + 1 - place == place)
            for place, c in enumerate(choices, start=1)
        ]
    return (
        [
            ("Before answering", card("before")),
            ("After a right answer", card("right", locked=True, parts=right, correct=True)),
        ],
        [("With every part wrong", card("wrong", locked=True, parts=wrong, correct=False))],
    )
