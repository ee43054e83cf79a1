import pytest

from course.models import Section
from quizzes.models import Question
from tests.builders import write_course, write_section
from tests.support import admin_change_url, run_command, section_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path):
    """Two sections (1.1 section-1, 1.2 section-2), imported."""
    content = write_course(tmp_path / "content", 2)
    run_command("import_content", content)
    return content


def edit_in_admin(client, slug, **changes):
    section = Section.objects.get(slug=slug)
    response = client.post(admin_change_url(section), section_form(section, **changes))
    assert response.status_code == 302


def title_of(slug):
    return Section.objects.get(slug=slug).title


def test_an_import_leaves_a_section_edited_in_the_admin_alone_and_says_so(admin_client, content):
    edit_in_admin(admin_client, "section-1", title="Edited in the admin")
    write_section(content, "1.1", "section-1", title="Edited in the file")
    out = run_command("import_content", content)
    assert "conflict: section 1.1 section-1 was changed in the admin" in out
    assert "1 left alone (changed in the admin)" in out
    assert title_of("section-1") == "Edited in the admin"


def test_an_unchanged_file_does_not_undo_an_admin_edit(admin_client, content):
    edit_in_admin(admin_client, "section-1", title="Edited in the admin")
    assert "conflict: section 1.1 section-1" in run_command("import_content", content)
    assert title_of("section-1") == "Edited in the admin"


def test_force_imports_the_files_over_the_admin_edit(admin_client, content):
    edit_in_admin(admin_client, "section-1", title="Edited in the admin")
    out = run_command("import_content", content, "--force")
    assert "conflict" not in out
    assert "updated section 1.1 section-1" in out
    assert title_of("section-1") == "Section 1.1"
    # Forced, the files are what was last imported: no conflict any more.
    assert "conflict" not in run_command("import_content", content)


def test_a_conflict_leaves_the_other_sections_to_the_import(admin_client, content):
    edit_in_admin(admin_client, "section-1", title="Edited in the admin")
    write_section(content, "1.2", "section-2", title="Edited in the file")
    out = run_command("import_content", content)
    assert "updated section 1.2 section-2" in out
    assert title_of("section-2") == "Edited in the file"
    assert title_of("section-1") == "Edited in the admin"


def test_a_question_edited_in_the_admin_is_a_conflict_of_its_section(content):
    question = Question.objects.get(quiz__section__slug="section-2", position=1)
    question.prompt = "Reworded in the admin?"
    question.save()
    out = run_command("import_content", content)
    assert "conflict: section 1.2 section-2" in out
    question.refresh_from_db()
    assert question.prompt == "Reworded in the admin?"


def test_after_an_export_the_files_hold_the_edit_and_import_finds_no_conflict(
    admin_client, content
):
    edit_in_admin(admin_client, "section-1", title="Edited in the admin")
    run_command("export_content", content)
    out = run_command("import_content", content)
    assert "conflict" not in out
    assert title_of("section-1") == "Edited in the admin"
    write_section(content, "1.1", "section-1", title="Then edited in the file")
    run_command("import_content", content)
    assert title_of("section-1") == "Then edited in the file"


def test_check_reports_a_conflict_and_writes_nothing(admin_client, content):
    edit_in_admin(admin_client, "section-1", title="Edited in the admin")
    write_section(content, "1.2", "section-2", title="Edited in the file")
    out = run_command("import_content", content, "--check")
    assert "conflict: section 1.1 section-1" in out
    assert title_of("section-2") == "Section 1.2"


def test_a_file_edit_of_a_section_nobody_touched_in_the_admin_is_imported(content):
    write_section(content, "1.1", "section-1", title="Edited in the file")
    out = run_command("import_content", content)
    assert "conflict" not in out
    assert title_of("section-1") == "Edited in the file"
