"""Finding published sections by words in their title, key takeaways and lesson text.

`search_sections` is the one way in: PostgreSQL's full-text search when the site runs on
PostgreSQL, a case-insensitive match of every word over `Section.search_text` otherwise.
Either way it runs two queries, whatever the size of the course, and drafts never appear.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from course.models import KeyTakeaway, Section
from course.rendering import lesson_text

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
EXCERPT_CHARS = 80  # shown on each side of the match
# Words that PostgreSQL matched by their stem ("patterns" for "pattern") are found in the
# text by their first letters.
STEM_LETTERS = 4
# Control characters (NUL among them) cannot be searched for and PostgreSQL refuses them.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class QueryTooLong(ValueError):
    pass


@dataclass
class SearchResult:
    section: Section
    excerpt: SafeString  # escaped text, the matched words in <mark>
    anchor: str  # the id of the heading the passage sits under; "" for the top of the lesson

    @property
    def url(self) -> str:
        url = self.section.get_absolute_url()
        return f"{url}#{self.anchor}" if self.anchor else url


def query_words(query: str) -> list[str]:
    """The words searched for; raises QueryTooLong past MAX_QUERY_LENGTH characters."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    return CONTROL_RE.sub(" ", query).split()[:MAX_WORDS]


def search_sections(query: str, *, limit: int = 20) -> list[SearchResult]:
    """Published sections matching every word of `query`, best first: a section whose
    title is the query comes before all others. Raises QueryTooLong."""
    words = query_words(query)
    if not words:
        return []
    phrase = " ".join(words)
    every_word = Q()
    for word in words:
        every_word &= Q(search_text__icontains=word)
    sections = Section.objects.published().annotate(
        title_is_query=Case(
            When(title__iexact=phrase, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("search_text", config="english")
        search_query = SearchQuery(phrase, config="english", search_type="websearch")
        # The plain match as well: PostgreSQL drops common words ("the", "how") from a query.
        sections = (
            sections.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(Q(document=search_query) | every_word)
            .order_by("title_is_query", "-rank", "sort_key")
        )
    else:
        sections = sections.filter(every_word).order_by("title_is_query", "sort_key")
    sections = sections.defer("body", "search_text").prefetch_related(
        Prefetch("takeaways", queryset=KeyTakeaway.objects.only("section_id", "text"))
    )
    return [_result(section, words) for section in sections[:limit]]


def _result(section, words):
    body_text, headings = lesson_text(section.body_html, section.toc)
    found = _find(body_text, words)
    if found is not None:
        anchor = ""
        for offset, heading_id in headings:
            if offset <= found[0]:
                anchor = heading_id
        return SearchResult(section, _excerpt(body_text, *found), anchor)
    # The takeaway with the most of the words.
    texts = sorted(
        (t.text for t in section.takeaways.all()),
        key=lambda text: -sum(word.lower() in text.lower() for word in words),
    )
    for text in texts:
        found = _find(text, words)
        if found is not None:
            return SearchResult(section, _excerpt(text, *found), "page-takeaways")
    # Only the title matched: show the summary.
    return SearchResult(section, _excerpt(section.summary, 0, words), "")


def _pattern(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _find(text, words):
    """Where the first of `words` (or, failing that, of their stems) starts in `text`, and
    the words so found."""
    for candidates in (words, [w[:STEM_LETTERS] for w in words if len(w) > STEM_LETTERS]):
        match = candidates and re.search(_pattern(candidates), text, re.IGNORECASE)
        if match:
            return match.start(), candidates
    return None


def _excerpt(text, found, words):
    """About EXCERPT_CHARS characters either side of `found`, cut at spaces, escaped, each
    of `words` in it marked."""
    start = max(0, found - EXCERPT_CHARS)
    end = min(len(text), found + EXCERPT_CHARS)
    if start > 0:
        start = text.find(" ", start, found) + 1 or start
    if end < len(text) and text.rfind(" ", found, end) > found:
        end = text.rfind(" ", found, end)
    passage = " ".join(text[start:end].split())
    pieces = re.split(f"({_pattern(words)})", passage, flags=re.IGNORECASE)
    # Odd pieces are the matches: each piece is escaped before any <mark> is put around it.
    html = "".join(
        f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )
    before = "… " if start > 0 else ""
    after = " …" if end < len(text) else ""
    return mark_safe(f"{before}{html}{after}")  # every piece escaped above
