"""Parse a page as a browser would and find markup that could run: the XSS check."""

from html.parser import HTMLParser

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
