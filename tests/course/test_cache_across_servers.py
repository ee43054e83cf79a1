"""An edit shows at once on every process: two gunicorn servers on one database and one
machine-wide cache, as two app servers would run, each with its own page cache, and the
content changed by a third process, as an instructor's save in the admin changes it."""

import pytest

from tests.site_server import (
    Browser,
    start_another_server,
    start_site,
    stop_site,
)

pytestmark = pytest.mark.system

LESSON = "/sections/inference-patterns/"
CHAPTER = "/chapters/2/"


@pytest.fixture
def two_servers(tmp_path, static_root):
    first, drop = start_site(tmp_path, static_root, workers=1)
    try:
        second = start_another_server(first)
    except RuntimeError:
        stop_site(first, drop)
        raise
    yield first, second
    stop_site(second, lambda: None)
    stop_site(first, drop)


def save_section(site, **changes):
    """Change the section and save it, as the admin does, from a process of its own."""
    assignments = "\n".join(f"section.{name} = {value!r}" for name, value in changes.items())
    site.query(
        "from course.models import Section\n"
        "section = Section.objects.get(slug='inference-patterns')\n"
        f"{assignments}\nsection.save()\n"
    )


def cached_on_both(servers, path):
    """Each server has rendered `path` for a visitor without progress, and cached it."""
    for server in servers:
        for _ in range(2):
            assert Browser(server.url).get(path).status == 200


def test_unpublishing_a_section_hides_it_at_once_on_every_server(two_servers):
    cached_on_both(two_servers, LESSON)
    cached_on_both(two_servers, CHAPTER)
    save_section(two_servers[0], published=False)
    for server in two_servers:
        assert Browser(server.url).get(LESSON).status == 404
        assert Browser(server.url).get(CHAPTER).status == 404


def test_a_new_title_shows_at_once_on_every_server(two_servers):
    cached_on_both(two_servers, LESSON)
    cached_on_both(two_servers, "/")
    save_section(two_servers[0], title="Inference Patterns, Renamed")
    for server in two_servers:
        assert "Inference Patterns, Renamed" in Browser(server.url).get(LESSON).body
        assert "Inference Patterns, Renamed" in Browser(server.url).get("/").body
