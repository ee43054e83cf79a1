"""Lessons: the course, its sections (rendered once, on save) and their key takeaways."""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count
from django.urls import reverse

from course.content.format import clean_body, clean_text
from course.page_cache import CACHE_SECONDS, content_version
from course.rendering import lesson_text, render_lesson

SECTION_NUMBER_RE = re.compile(r"^\d{1,4}(\.\d{1,4}){0,3}$")
validate_section_number = RegexValidator(
    SECTION_NUMBER_RE, "Use numbers separated by dots, such as 2.4 or 10.1.2.", code="number"
)


def section_sort_key(number):
    """Order 2.4 before 2.10: compare the number part by part, as zero-padded text."""
    return ".".join(part.zfill(4) for part in number.split("."))


# A section's lesson text, as stored: what pages that only name or list sections never
# show, so their queries leave it out.
LESSON_TEXT = ("body", "body_html", "toc", "search_text")


def without_lesson_text(path: str = "") -> list[str]:
    """The lesson text's fields, for `defer()`, reached from a query's model by `path`
    (such as "quiz__section__")."""
    return [path + name for name in LESSON_TEXT]


class Course(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    chapter_titles = models.JSONField(
        default=dict, blank=True, help_text='Chapter number to title, e.g. {"2": "Operations"}.'
    )

    def __str__(self):
        return self.title

    def chapter_title(self, chapter):
        return self.chapter_titles.get(str(chapter), "")


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(
        max_length=24,
        unique=True,
        validators=[validate_section_number],
        help_text="Where the section sits in the course, such as 2.4. Sections are ordered "
        "by it (2.4 before 2.10) and grouped into chapters by its first part.",
    )
    sort_key = models.CharField(max_length=24, editable=False, db_index=True)
    chapter = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="The section's address: /sections/the-slug/.")
    summary = models.TextField(blank=True, help_text="One or two sentences for the outline.")
    body = models.TextField(
        help_text="Markdown. Raw HTML is shown as text; links may be http, https, mailto "
        "or site paths."
    )
    body_html = models.TextField(editable=False)
    toc = models.JSONField(default=list, editable=False)
    published = models.BooleanField(
        default=False, help_text="Only published sections are shown to learners."
    )
    search_text = models.TextField(
        editable=False,
        default="",
        # Also the database's own default: rows written by older code, migrations included.
        db_default="",
        help_text="The title, key takeaways and lesson text as plain text, for the site's search.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Bookkeeping between the database and content/ (see course/content/).
    source_folder = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="The folder of content/ the section was imported from or exported to.",
    )
    imported_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the section as it was right after its last import; a "
        "different fingerprint now means it was changed in the admin since.",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key"]
        indexes = [
            models.Index(fields=["published", "sort_key"]),
            models.Index(fields=["published", "chapter"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.render()
        takeaways = self.takeaways.values_list("text", flat=True) if self.pk else []
        self.search_text = self.searchable_text(takeaways)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("course:lesson", args=[self.slug])

    @property
    def chapter_title(self):
        return self.course.chapter_title(self.chapter)

    def render(self):
        """Derive the stored fields: learners' pages never render Markdown.

        The body is rendered again only if it changed since this instance last rendered
        it, or was given its rendering (see `use_rendered_body`).
        """
        # Text is kept as content/ holds it (a browser sends CR LF line ends, for one).
        self.summary = clean_text(self.summary)
        self.body = clean_body(self.body)
        self.sort_key = section_sort_key(self.number)
        self.chapter = int(self.number.split(".")[0])
        if getattr(self, "_rendered_body", None) != self.body:
            self.use_rendered_body(*render_lesson(self.body))

    def searchable_text(self, takeaways) -> str:
        """What search looks in: the title, the key takeaways' text and the lesson's text,
        read from the sanitized HTML (never from the Markdown)."""
        # Saving a section, then its takeaways, asks twice: the lesson is read once.
        if getattr(self, "_text_of", (None,))[0] != self.body_html:
            body_text = " ".join(lesson_text(self.body_html, self.toc)[0].split())
            self._text_of = (self.body_html, body_text)
        return "\n".join([self.title, *takeaways, self._text_of[1]])

    def refresh_search_text(self) -> None:
        """Store the searchable text again: takeaways are saved after their section, by the
        importer and by the admin, which call this once they are."""
        self.search_text = self.searchable_text(self.takeaways.values_list("text", flat=True))
        Section.objects.filter(pk=self.pk).update(search_text=self.search_text)

    def quiz_or_none(self):
        """The section's quiz, or None when it has none."""
        try:
            return self.quiz
        except ObjectDoesNotExist:
            return None

    def use_rendered_body(self, body_html: str, toc: list[dict]) -> None:
        """Keep this HTML and table of contents as the body's, as it is now: the importer
        renders each lesson once, to check its quiz's headings, and saves it with them."""
        self.body_html = body_html
        self.toc = toc
        self._rendered_body = self.body


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    sections: int  # published ones


def course_and_chapters() -> tuple[Course | None, list[Chapter]]:
    """The course and, in order, each chapter with published sections: the same for
    everyone, so kept in the cache under the content version."""
    key = f"course-and-chapters:{content_version()}"
    found = cache.get(key)
    if found is None:
        course = Course.objects.first()
        titles = course.chapter_titles if course else {}
        counts = (
            Section.objects.published()
            .order_by("chapter")
            .values_list("chapter")
            .annotate(count=Count("pk"))
        )
        chapters = [Chapter(n, titles.get(str(n), ""), count) for n, count in counts]
        found = (course, chapters)
        cache.set(key, found, CACHE_SECONDS)
    return found


class KeyTakeaway(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="takeaways")
    position = models.PositiveSmallIntegerField(help_text="1 for the first takeaway, and so on.")
    text = models.TextField()

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="unique_takeaway_position")
        ]

    def __str__(self):
        return f"{self.section.number} takeaway {self.position}"

    def save(self, *args, **kwargs):
        self.text = clean_text(self.text)
        super().save(*args, **kwargs)
