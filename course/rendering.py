"""Markdown to safe HTML: the only way text from content/ or the admin reaches a page.

Everything that turns author text into markup goes through `render_markdown`, so that
replacing bleach (unmaintained since June 2026) with another sanitizer touches this file
alone. Rendering happens when content is saved, never per request.
"""

import html
import re
import threading
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import bleach
import markdown
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension
from markdown.postprocessors import RawHtmlPostprocessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
HEADING_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
ALIGNMENTS = frozenset({"left", "center", "right"})
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# One line of letters, digits, spaces and everyday punctuation, starting with a letter and
# not ending in a space, has nothing for Markdown to format and nothing for HTML to
# escape: its HTML is itself in a paragraph. Most prompts and feedback are such sentences.
_PLAIN = r"A-Za-z0-9,.;:?!'\"()%/\-"
PLAIN_SENTENCE_RE = re.compile(rf"[A-Za-z](?:[{_PLAIN} ]*[{_PLAIN}])?")
# Such words in *emphasis*, opened after a space (or first) and closed before a space, the
# end or a punctuation mark, are an <em> and nothing else: "Right: see *Costs*."
EMPHASIS_RE = re.compile(rf"(?<![^ ])\*([{_PLAIN}](?:[{_PLAIN} ]*[{_PLAIN}])?)\*(?![^ ,.;:?!)])")


def _is_site_relative_or_safe(url):
    """Refuse protocol-relative `//host` and backslash tricks that bleach lets through."""
    url = url.strip()
    return not (url.startswith("//") or "\\" in url)


def _allowed_attribute(tag, name, value):
    if tag == "a":
        return name in {"href", "title"} and _is_site_relative_or_safe(value)
    if tag == "img":
        if name == "src":
            value = value.strip().lower()
            return value.startswith("https://") or (
                value.startswith("/") and _is_site_relative_or_safe(value)
            )
        return name in {"alt", "title"}
    if tag in HEADINGS:
        return name == "id" and bool(HEADING_ID_RE.match(value))
    if tag in {"th", "td"}:
        return (name == "align" and value in ALIGNMENTS) or (tag == "th" and name == "scope")
    if tag == "div":
        # Only the wrapper this module adds around tables, so wide tables scroll.
        return (name, value) in {
            ("class", "table-scroll"),
            ("role", "region"),
            ("tabindex", "0"),
        } or (name == "aria-label" and value.startswith("Table"))
    if tag == "abbr":
        return name == "title"
    if tag == "code":
        return name == "class" and value.startswith("language-")
    return False


class _AccessibleTables(Treeprocessor):
    """Give header cells a scope and wrap each table in a sideways-scrolling region."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                for header_cell in child.iter("th"):
                    header_cell.set("scope", "col")
                wrapper = etree.Element(
                    "div",
                    {"class": "table-scroll", "role": "region", "tabindex": "0"},
                )
                # Screen readers name the scrolling region: by its columns, as a sighted
                # reader would skim them.
                columns = ", ".join("".join(cell.itertext()).strip() for cell in child.iter("th"))
                wrapper.set("aria-label", f"Table: {columns}"[:200] if columns else "Table")
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)


# What a script or style element holds is code, not text a reader should see.
SCRIPT_OR_STYLE_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


class _RawHtmlAsText(RawHtmlPostprocessor):
    """Raw HTML an author typed is stripped to its text (scripts and styles entirely).
    Fenced code blocks share Markdown's stash: they are kept, and sanitized later."""

    def stash_to_string(self, text):
        text = str(text)
        if text.startswith("<pre"):
            return text
        return bleach.clean(SCRIPT_OR_STYLE_RE.sub("", text), tags=set(), strip=True)


class _CourseMarkdown(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(_RawHtmlAsText(md), "raw_html", 30)
        md.treeprocessors.register(_AccessibleTables(md), "accessible_tables", 0)


# Building a Markdown converter or a bleach Cleaner costs more than using one, and
# neither is thread-safe: each thread keeps its own and reuses it (an import renders
# tens of thousands of texts).
_per_thread = threading.local()


def _converter():
    if not hasattr(_per_thread, "markdown"):
        _per_thread.markdown = markdown.Markdown(
            extensions=[
                _CourseMarkdown(),
                TableExtension(use_align_attribute=True),
                TocExtension(permalink=False, toc_depth="2-3"),
                "fenced_code",
                "sane_lists",
            ],
            output_format="html",
        )
    return _per_thread.markdown


def _cleaner():
    if not hasattr(_per_thread, "cleaner"):
        _per_thread.cleaner = bleach.sanitizer.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allowed_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
    return _per_thread.cleaner


def _markdown_to_html(text):
    converter = _converter()
    converter.reset()
    return converter.convert(text)


# After sanitizing, a link whose unsafe address was removed, and an image whose source
# was: bleach writes attributes double-quoted, in the order given.
LINK_WITHOUT_ADDRESS_RE = re.compile(r'<a(?: title="[^"]*")?>(.*?)</a>', re.DOTALL)
IMAGE_WITHOUT_SOURCE_RE = re.compile(r"<img(?![^>]*\ssrc=)([^>]*)>")
ALT_RE = re.compile(r'\salt="([^"]*)"')


def _alt_text(match):
    alt = ALT_RE.search(match.group(1))
    return alt.group(1) if alt else ""


def sanitize_html(html):
    """Allowed markup only; a link left without an address is its text, and an image
    left without a source its alt text, so neither looks like something it is not."""
    clean = _cleaner().clean(html)
    clean = LINK_WITHOUT_ADDRESS_RE.sub(r"\1", clean)
    return IMAGE_WITHOUT_SOURCE_RE.sub(_alt_text, clean)


def sentence_html(text):
    """A plain sentence's HTML, as the full pipeline makes it but without parsing (tests
    compare the two); None if the text is anything else."""
    if PLAIN_SENTENCE_RE.fullmatch(EMPHASIS_RE.sub(r"\1", text)):
        return "<p>" + EMPHASIS_RE.sub(r"<em>\1</em>", text) + "</p>"
    return None


def render_markdown(text):
    """Author Markdown in, sanitized HTML out; the result is safe to store and show."""
    text = text or ""
    return sentence_html(text) or sanitize_html(_markdown_to_html(text))


def render_inline_markdown(text):
    """For one-paragraph fields (prompts, feedback): the same pipeline, without the <p>."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def plain_text(safe_html: str, *, limit: int | None = None) -> str:
    """Rendered HTML as the words a reader sees (no tags, entities decoded), for labels and
    lists: a template escapes it again, exactly once. Cut to about `limit` characters."""
    text = " ".join(html.unescape(strip_tags(safe_html)).split())
    return Truncator(text).chars(limit) if limit else text


class _HeadingCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.entries = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("h2", "h3") and attributes.get("id"):
            self._current = {"id": attributes["id"], "level": int(tag[1]), "text": ""}

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if self._current is not None and tag == f"h{self._current['level']}":
            self._current["text"] = " ".join(self._current["text"].split())
            self.entries.append(self._current)
            self._current = None


def table_of_contents(safe_html):
    """Headings (h2, h3) with their ids, read from already sanitized HTML."""
    collector = _HeadingCollector()
    collector.feed(safe_html)
    collector.close()
    return collector.entries


def render_lesson(body: str) -> tuple[str, list[dict]]:
    """A lesson body's sanitized HTML and its table of contents."""
    body_html = render_markdown(body)
    return body_html, table_of_contents(body_html)


def missing_heading(toc: list[dict], heading_id: str) -> str | None:
    """The rule for pointing a question at a heading of its lesson: None if the lesson,
    given by its table of contents, has a heading with this id; otherwise the ids it does
    have, listed for the error message ("none" if it has no headings)."""
    ids = {entry["id"] for entry in toc}
    if heading_id in ids:
        return None
    return ", ".join(sorted(ids)) or "none"


class _TextCollector(HTMLParser):
    # Elements whose start or end separates words, as a browser would lay them out apart.
    BLOCKS = frozenset(
        {"p", "li", "td", "th", "tr", "br", "pre", "blockquote", "dd", "dt", "div", *HEADINGS}
    )

    def __init__(self, heading_ids):
        super().__init__(convert_charrefs=True)
        self.heading_ids = heading_ids
        self.parts = []
        self.length = 0
        self.headings = []

    def _add(self, text):
        self.parts.append(text)
        self.length += len(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._add(" ")
        heading_id = dict(attrs).get("id")
        if tag in HEADINGS and heading_id in self.heading_ids:
            self.headings.append((self.length, heading_id))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._add(" ")

    def handle_data(self, data):
        self._add(re.sub(r"\s+", " ", data))


def lesson_text(safe_html: str, toc: list[dict]) -> tuple[str, list[tuple[int, str]]]:
    """The plain text of already sanitized lesson HTML, and where each heading of its table
    of contents starts in it: (offset, heading id), in text order."""
    collector = _TextCollector({entry["id"] for entry in toc})
    collector.feed(safe_html)
    collector.close()
    return "".join(collector.parts), collector.headings
