import difflib
import tomllib

import pytest
from django.conf import settings
from django.core.management import CommandError
from django.urls import reverse

from course.content.format import TOML_ESCAPES, toml_string
from course.models import Course, Section
from quizzes.models import Question
from tests.builders import copy_real_content, write_course
from tests.support import run_command, section_form

pytestmark = pytest.mark.django_db


def course_files(directory):
    """The course's files in a content folder (its README is not part of the course)."""
    files = [directory / "course.toml", *directory.glob("*/lesson.md")]
    files += directory.glob("*/quiz.toml")
    return {str(path.relative_to(directory)): path.read_bytes() for path in files}


def diff(before, after):
    """The lines a plain `diff` shows as removed (-) and added (+)."""
    lines = difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
    return [line for line in lines if line.startswith(("-", "+"))]


def test_import_then_export_gives_back_the_seed_course_byte_for_byte(seed_course, tmp_path):
    run_command("export_content", tmp_path / "out")
    content = settings.BASE_DIR / "content"
    assert course_files(tmp_path / "out") == course_files(content)
    assert set(course_files(content)) == {
        "course.toml",
        "2.4-inference-patterns/lesson.md",
        "2.4-inference-patterns/quiz.toml",
    }


def test_import_then_export_gives_back_a_course_of_thirty_sections_byte_for_byte(tmp_path):
    content = write_course(tmp_path / "content", 30)
    run_command("import_content", content)
    run_command("export_content", tmp_path / "out")
    files = course_files(content)
    assert len(files) == 1 + 30 * 2
    assert course_files(tmp_path / "out") == files


def test_an_export_over_the_same_files_changes_nothing_and_says_so(seed_course, tmp_path):
    content = copy_real_content(tmp_path / "content")
    out = run_command("export_content", content)
    assert "0 file(s) changed, 3 unchanged" in out
    assert "wrote" not in out


def test_an_admin_edit_shows_up_as_a_plain_diff(admin_client, seed_course, tmp_path):
    content = copy_real_content(tmp_path / "content")
    old = "Batch inference scores or processes many inputs at once."
    new = "Batch inference scores many inputs in one run."
    # A browser sends a textarea's lines ending in CR LF.
    body = seed_course.body.replace(old, new).replace("\n", "\r\n")
    admin_client.post(
        reverse("admin:course_section_change", args=[seed_course.pk]),
        section_form(seed_course, body=body, title="Inference Patterns"),
    )
    before = course_files(content)
    out = run_command("export_content", content)
    assert "wrote 2.4-inference-patterns/lesson.md" in out
    after = course_files(content)
    lesson = "2.4-inference-patterns/lesson.md"
    assert {name for name in after if after[name] != before[name]} == {lesson}
    assert b"\r" not in after[lesson]
    changed_paragraph = next(line for line in before[lesson].decode().splitlines() if old in line)
    assert diff(before[lesson], after[lesson]) == [
        '- title = "Inference Patterns: Batch, Real-Time, and Embedded AI"',
        '+ title = "Inference Patterns"',
        f"- {changed_paragraph}",
        f"+ {changed_paragraph.replace(old, new)}",
    ]


def test_retired_questions_and_choices_are_not_exported(seed_course, tmp_path):
    questions = seed_course.quiz.questions.order_by("position")
    retired = questions[0]
    Question.objects.filter(pk=retired.pk).update(active=False)
    choice = questions[1].choices.filter(correct=False).first()
    choice.active = False
    choice.save()
    run_command("export_content", tmp_path / "out")
    quiz = (tmp_path / "out" / "2.4-inference-patterns" / "quiz.toml").read_text()
    assert retired.prompt not in quiz
    assert f"text = {choice.text!r}".replace("'", '"') not in quiz
    assert questions[1].prompt in quiz


def test_a_section_made_in_the_admin_gets_a_number_slug_folder(admin_client, seed_course, tmp_path):
    response = admin_client.post(
        reverse("admin:course_section_add"),
        {
            "course": seed_course.course_id,
            "number": "2.5",
            "title": 'Monitoring "inference"',
            "slug": "monitoring",
            "summary": "Line one.\r\nLine two, with a \\ backslash.",
            "body": "## Watch it\r\n\r\nLatency\tand cost.",
            "takeaways-TOTAL_FORMS": 1,
            "takeaways-INITIAL_FORMS": 0,
            "takeaways-MIN_NUM_FORMS": 1,
            "takeaways-MAX_NUM_FORMS": 1000,
            "takeaways-0-order": 1,
            "takeaways-0-text": "Watch latency.",
        },
    )
    assert response.status_code == 302
    content = copy_real_content(tmp_path / "content")
    run_command("export_content", content)
    lesson = (content / "2.5-monitoring" / "lesson.md").read_text()
    assert 'title = "Monitoring \\"inference\\""' in lesson
    assert 'summary = "Line one.\\nLine two, with a \\\\ backslash."' in lesson
    assert not (content / "2.5-monitoring" / "quiz.toml").exists()
    # The files say exactly what the database says: importing them changes nothing.
    assert "Nothing changed" in run_command("import_content", content)
    section = Section.objects.get(slug="monitoring")
    assert section.title == 'Monitoring "inference"'
    assert section.source_folder == "2.5-monitoring"


def test_the_quiz_file_of_a_section_whose_questions_are_all_retired_is_removed(
    seed_course, tmp_path
):
    content = copy_real_content(tmp_path / "content")
    seed_course.quiz.questions.update(active=False)
    out = run_command("export_content", content)
    assert "removed 2.4-inference-patterns/quiz.toml" in out
    assert not (content / "2.4-inference-patterns" / "quiz.toml").exists()


def test_a_folder_no_section_was_written_to_is_pointed_out(seed_course, tmp_path):
    content = copy_real_content(tmp_path / "content")
    (content / "old-section").mkdir()
    (content / "old-section" / "lesson.md").write_text("+++\n+++\n")
    assert "warning: old-section/ holds a lesson no section of the database" in run_command(
        "export_content", content
    )


def test_an_empty_database_has_nothing_to_export(db, tmp_path):
    assert not Course.objects.exists()
    with pytest.raises(CommandError, match="no course to export"):
        run_command("export_content", tmp_path / "out")


def test_files_in_another_layout_that_say_the_same_are_left_untouched(tmp_path):
    content = write_course(tmp_path / "content", 2)
    run_command("import_content", content)
    first, second = sorted(path.parent for path in content.glob("*/lesson.md"))
    # Written by hand: indented, a comment, a blank line; the same course, quiz and lesson.
    for path in [content / "course.toml", first / "quiz.toml"]:
        lines = path.read_text().splitlines()
        path.write_text(
            "# Edited by hand.\n\n"
            + "\n".join("    " + line if " = " in line else line for line in lines)
            + "\n"
        )
    by_hand = course_files(content)
    Section.objects.filter(number="1.2").update(title="Renamed in the admin")
    out = run_command("export_content", content)
    after = course_files(content)
    unchanged = [name for name in by_hand if name.split("/")[0] != second.name]
    assert {name: after[name] for name in unchanged} == {name: by_hand[name] for name in unchanged}
    assert f"{second.name}/lesson.md" in out
    assert "Renamed in the admin" in (second / "lesson.md").read_text()
    assert "1 file(s) changed, 4 unchanged" in out


def test_a_toml_string_escapes_each_character_by_the_table_and_reads_back():
    every_character = "".join(map(chr, range(0x110000)))
    one_by_one = "".join(TOML_ESCAPES.get(char, char) for char in every_character)
    assert toml_string(every_character) == f'"{one_by_one}"'
    assert toml_string('\x01"\\\x7f\t') == '"\\u0001\\"\\\\\\u007F\\t"'
    text = "".join(map(chr, range(0x800))) + 'Say "hi" \\ \u00e9 \U0001f600'
    assert tomllib.loads(f"text = {toml_string(text)}")["text"] == text
