"""Read HTML as a browser would, to check what author text and hostile input turn into."""

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](//evil.example/path)",
    "[x](/\\evil.example)",
    "![x](http://evil.example/tracker.png)",
    "<iframe src=https://evil.example></iframe>",
    "<form action=https://evil.example><button>go</button></form>",
    "<object data=x></object>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p hx-get="/admin/" hx-trigger="load">x</p>',
    '<p data-hx-get="/admin/">x</p>',
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)//",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!-- <script>alert(1)</script> -->",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "```\n</code><script>alert(1)</script>\n```",
    '[x](https://ok.example "title" onmouseover=alert(1))',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<style>body{display:none}</style>",
]

SAFE_PROTOCOLS = ("http://", "https://", "mailto:", "/", "#")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class ParsedHTML(HTMLParser):
    """Every element with its attributes, as a browser would parse them.

    With `inside`, a class name: only the elements within the first element of that class.
    """

    def __init__(self, html, *, inside=None):
        super().__init__()
        self.inside = inside
        self.found = inside is None
        self.depth = 0  # how deep inside the chosen element the parser is
        self.elements = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.inside is None or self.depth:
            self.elements.append((tag, attributes))
            if self.depth and tag not in VOID_ELEMENTS:
                self.depth += 1
        elif not self.found and self.inside in (attributes.get("class") or "").split():
            self.found = True
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def choice_values(html):
    """The values of a question card's choice inputs, in the order shown."""
    return [
        int(attributes["value"])
        for tag, attributes in ParsedHTML(html).elements
        if tag == "input" and attributes.get("name") == "choice"
    ]


def answer_fields(html):
    """A valid answer to whatever question card the page shows, as form fields: the first
    choice; a different option for each prompt of a match question; an order question's
    items in the places shown. Empty when the page asks nothing."""
    elements = ParsedHTML(html).elements
    choices = [a["value"] for tag, a in elements if tag == "input" and a.get("name") == "choice"]
    if choices:
        return {"choice": choices[0]}
    fields, select = {}, None
    for tag, attributes in elements:
        if tag == "select" and attributes.get("name", "").startswith(("pair-", "place-")):
            select = attributes["name"]
            fields[select] = []
        elif tag == "option" and select and attributes.get("value"):
            fields[select].append((attributes["value"], "selected" in attributes))
    answer = {}
    for number, (name, options) in enumerate(fields.items()):
        chosen = [value for value, selected in options if selected]
        answer[name] = chosen[0] if chosen else options[number % len(options)][0]
    return answer


def assert_no_markup_from_authors(elements):
    """Nothing that runs script, loads another site, styles the page or drives htmx."""
    for tag, attributes in elements:
        assert tag not in {"script", "style", "iframe", "form", "object", "svg", "math", "button"}
        for name, value in attributes.items():
            assert not name.startswith(("on", "hx-", "data-", "style")), (tag, name)
            if name in {"href", "src"}:
                assert value.startswith(SAFE_PROTOCOLS), (tag, name, value)
                assert not value.startswith("//")
                assert "\\" not in value


# Whole pages, site chrome included: only markup that could run script is a problem.
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            source = attributes.get("src") or ""
            kind = attributes.get("type") or ""
            same_site = source.startswith("/") and not source.startswith("//")
            if kind != "application/json" and not same_site:
                self.problems.append(f"<script> not from this site: {attrs}")
            self._in_script = kind != "application/json"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if (
                name in URL_ATTRIBUTES
                and value
                and value.strip().lower().startswith(DANGEROUS_SCHEMES)
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")


def injected_markup(html):
    """Everything in `html` that could run script; empty when the page is safe."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems
