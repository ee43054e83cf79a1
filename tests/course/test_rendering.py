import random

import pytest
from django.conf import settings

from course import rendering
from course.bench.generated_course import write_course
from course.content.reader import read_content
from course.rendering import render_markdown, table_of_contents
from tests.html import XSS_PAYLOADS, ParsedHTML, assert_no_markup_from_authors


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_markup(payload):
    assert_no_markup_from_authors(ParsedHTML(render_markdown(payload)).elements)


def test_raw_html_tags_are_stripped_keeping_their_text():
    # Issue 15: raw HTML was shown as literal code; the docs say it is stripped.
    assert render_markdown("<b>bold</b>") == "<p>bold</p>"
    block = render_markdown('<div class="x">\n<p>Block text</p>\n</div>')
    assert "Block text" in block
    assert "div" not in block
    assert render_markdown("Hi <script>alert(1)</script> there") == "<p>Hi alert(1) there</p>"
    assert "alert" not in render_markdown("<script>\nalert(1)\n</script>")
    assert "&lt;b&gt;" in render_markdown("`<b>`")
    assert "&lt;b&gt;" in render_markdown("```\n<b>\n```")


def test_a_link_whose_address_was_removed_is_its_text_only():
    assert render_markdown("[click](javascript:alert(1))") == "<p>click</p>"


def test_an_image_whose_source_was_removed_is_its_alt_text():
    assert render_markdown("![A chart](http://example.org/x.png)") == "<p>A chart</p>"


def test_safe_links_and_images_are_kept():
    html = render_markdown(
        "[a](https://example.org) [b](mailto:x@example.org) [c](/sections/x/) [d](#part)\n\n"
        "![alt](https://example.org/i.png) ![local](/static/i.png)"
    )
    for fragment in [
        'href="https://example.org"',
        'href="mailto:x@example.org"',
        'href="/sections/x/"',
        'href="#part"',
        'src="https://example.org/i.png"',
        'src="/static/i.png"',
    ]:
        assert fragment in html


def test_tables_get_header_scope_and_a_scrolling_wrapper_named_by_their_columns():
    html = render_markdown("| A | B |\n|---|:-:|\n| 1 | 2 |\n")
    assert html.startswith(
        '<div aria-label="Table: A, B" class="table-scroll" role="region" tabindex="0">'
    )
    assert '<th scope="col">A</th>' in html
    assert '<th align="center" scope="col">B</th>' in html
    assert '<td align="center">2</td>' in html


def test_headings_get_ids_from_their_text():
    html = render_markdown("## Scenario: home-page product recommendations\n")
    assert '<h2 id="scenario-home-page-product-recommendations">' in html


def test_fenced_code_and_sane_lists_render():
    html = render_markdown("```python\nprint(1)\n```\n\n1. one\n2. two\n")
    assert '<code class="language-python">print(1)' in html
    assert "<ol>\n<li>one</li>" in html


def test_table_of_contents_is_read_from_the_sanitized_html():
    toc = table_of_contents(render_markdown("## First *part*\n\n### Sub & more\n\n#### Deep\n"))
    assert toc == [
        {"id": "first-part", "level": 2, "text": "First part"},
        {"id": "sub-more", "level": 3, "text": "Sub & more"},
    ]


PLAIN_ALPHABET = "abXY09 ,.;:?!'\"()%/-"


def full_pipeline(text):
    return rendering.sanitize_html(rendering._markdown_to_html(text))


@pytest.mark.parametrize(
    "text",
    [
        "Batch inference.",
        "A team scores tickets nightly (about 50% of them) - which pattern fits?",
        'He said "wait" and it\'s fine; really: yes/no!',
        "A. Not a list",
        "X",
    ],
)
def test_a_plain_sentence_renders_as_the_full_pipeline_would(text):
    assert rendering.PLAIN_SENTENCE_RE.fullmatch(text)
    assert rendering.sentence_html(text) == full_pipeline(text) == f"<p>{text}</p>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Right: see *Costs*.", "<p>Right: see <em>Costs</em>.</p>"),
        (
            "*If it is late, it is useless.* So: timing.",
            "<p><em>If it is late, it is useless.</em> So: timing.</p>",
        ),
        (
            "Is it *Can results wait?*, or *not*",
            "<p>Is it <em>Can results wait?</em>, or <em>not</em></p>",
        ),
    ],
)
def test_emphasis_in_a_plain_sentence_renders_as_the_full_pipeline_would(text, html):
    assert rendering.sentence_html(text) == full_pipeline(text) == html


def test_the_plain_sentence_shortcut_agrees_with_the_pipeline_on_random_text():
    generator = random.Random(8)
    checked = 0
    for _ in range(3000):
        text = generator.choice("aZ") + "".join(
            generator.choice(PLAIN_ALPHABET) for _ in range(generator.randint(0, 15))
        )
        if rendering.PLAIN_SENTENCE_RE.fullmatch(text):
            checked += 1
            assert render_markdown(text) == full_pipeline(text), text
    assert checked > 2000


def test_the_shortcut_agrees_with_the_pipeline_on_random_asterisks_and_punctuation():
    generator = random.Random(9)
    pieces = [*PLAIN_ALPHABET, "*", "*", " *", "* ", "**", "*a*", "1.", "  "]
    words = ["a", "Ab", "x9", "(b)", '"q"', "'s", "50%", "a/b", "-", "a-b", "?", ":", ".", ","]
    separators = [" ", "", ", ", ". ", ": ", " (", ") ", "*", "  "]
    taken = emphasised = 0
    for _ in range(4000):
        # Any mix of the characters; and sentences of words, some in *emphasis*.
        mix = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 12)))
        parts = [
            " ".join(generator.choice(words) for _ in range(generator.randint(1, 3)))
            for _ in range(generator.randint(1, 5))
        ]
        parts = [f"*{part}*" if generator.random() < 0.4 else part for part in parts]
        sentence = parts[0] + "".join(generator.choice(separators) + p for p in parts[1:])
        for text in (mix, sentence):
            if (html := rendering.sentence_html(text)) is not None:
                taken += 1
                emphasised += "<em>" in html
                assert html == full_pipeline(text), text
    assert taken > 1000
    assert emphasised > 500


@pytest.mark.parametrize(
    "text",
    [
        "1. A list",
        "- item",
        "* item",
        "a & b",
        "a <b>",
        "ends with space ",
        "two\nlines",
        "**strong**",
        "a*b*",
        "*a *",
        "*a*b*",
        "*1. a*",
        "",
    ],
)
def test_text_with_markup_or_escapes_takes_the_full_pipeline(text):
    assert rendering.sentence_html(text) is None


def course_texts(course):
    """Every text of a course read from its files, Markdown or not."""
    for section in course.sections:
        yield from [section.title, section.summary, section.body, *section.key_takeaways]
        questions = section.quiz.questions if section.quiz else []
        for question in questions:
            yield from [question.prompt, question.explanation]
            for part in [*question.choices, *question.pairs]:
                yield from [part.text, part.feedback]


def test_real_and_generated_content_and_hostile_input_render_as_the_full_pipeline(tmp_path):
    write_course(tmp_path / "generated", 12)
    texts = {
        *course_texts(read_content(settings.BASE_DIR / "content")),
        *course_texts(read_content(tmp_path / "generated")),
        *XSS_PAYLOADS,
    }
    for text in texts:
        assert render_markdown(text) == full_pipeline(text), text
    shortcut = [text for text in texts if rendering.sentence_html(text) is not None]
    assert any("<em>" in rendering.sentence_html(text) for text in shortcut)
