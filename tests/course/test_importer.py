from io import StringIO

import pytest
from django.core.management import call_command

from course.models import Course, KeyTakeaway, Section
from quizzes.models import Choice, Question, Quiz
from tests.builders import (
    copy_real_content,
    default_questions,
    lesson_md,
    question_toml,
    quiz_toml,
    write_course,
    write_section,
)
from tests.support import import_fails

pytestmark = pytest.mark.django_db


def run_import(directory, *args):
    out, err = StringIO(), StringIO()
    call_command("import_content", str(directory), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def database_snapshot():
    return {
        "sections": list(Section.objects.values_list("slug", "number", "title", "body_html")),
        "takeaways": list(KeyTakeaway.objects.values_list("section__slug", "position", "text")),
        "questions": list(
            Question.objects.values_list("quiz__section__slug", "position", "prompt")
        ),
        "choices": list(Choice.objects.values_list("question_id", "position", "text", "correct")),
        "courses": list(Course.objects.values_list("slug", "title")),
    }


def test_imports_the_seed_section_with_takeaways_and_quiz(tmp_path):
    out, _ = run_import(copy_real_content(tmp_path / "content"))
    section = Section.objects.get(slug="inference-patterns")
    assert section.number == "2.4"
    assert section.title == "Inference Patterns: Batch, Real-Time, and Embedded AI"
    assert section.published
    assert section.takeaways.count() == 4
    assert section.quiz.questions.count() >= 10
    assert "created section 2.4 inference-patterns" in out


def test_a_second_import_changes_nothing_and_says_so(tmp_path):
    content = copy_real_content(tmp_path / "content")
    run_import(content)
    before = Section.objects.get(slug="inference-patterns").updated_at
    out, _ = run_import(content)
    assert "Nothing changed" in out
    assert Section.objects.get(slug="inference-patterns").updated_at == before


def test_an_edited_lesson_is_updated_in_place_by_slug(tmp_path):
    content = write_course(tmp_path / "content")
    run_import(content)
    section_id = Section.objects.get().pk
    write_section(content, "1.1", "section-1", title="Renamed section")
    out, _ = run_import(content)
    assert "updated section 1.1 section-1" in out
    section = Section.objects.get()
    assert (section.pk, section.title) == (section_id, "Renamed section")


def test_a_reimport_renders_stored_html_that_is_out_of_date_again(tmp_path):
    content = write_course(tmp_path / "content")
    run_import(content)
    rendered = Section.objects.values_list("body_html", "toc").get()
    # As if an older sanitizer had rendered it: the body itself is unchanged.
    Section.objects.update(body_html="<p>stale</p>", toc=[])
    out, _ = run_import(content)
    assert "updated section 1.1 section-1" in out
    assert Section.objects.values_list("body_html", "toc").get() == rendered


def test_a_reimported_body_is_stored_as_rendered_with_its_table_of_contents(tmp_path):
    content = write_course(tmp_path / "content")
    run_import(content)
    write_section(content, "1.1", "section-1", body="## Overview\n\nNew *text*.\n\n## Details\n")
    run_import(content)
    section = Section.objects.get()
    assert section.body_html == (
        '<h2 id="overview">Overview</h2>\n<p>New <em>text</em>.</p>\n<h2 id="details">Details</h2>'
    )
    assert [entry["id"] for entry in section.toc] == ["overview", "details"]


def test_reimport_keeps_learner_attempts(tmp_path, small_course):
    from quizzes.models import Learner
    from quizzes.scoring import start_attempt

    attempt = start_attempt(learner=Learner.objects.create(), quiz=small_course.quiz)
    content = write_course(tmp_path / "again")
    write_section(content, "1.1", "section-1", title="Edited")
    run_import(content)
    attempt.refresh_from_db()
    assert attempt.answers.count() == 4


def test_a_removed_question_that_learners_answered_is_retired_not_deleted(tmp_path, small_course):
    from quizzes.models import Learner
    from quizzes.scoring import answer_question, start_attempt

    attempt = start_attempt(learner=Learner.objects.create(), quiz=small_course.quiz)
    last = attempt.answers.get(position=4)
    answer_question(answer=last, raw_choice_ids=[attempt.choice_order[str(last.question_id)][0]])
    content = write_course(tmp_path / "shorter", questions=default_questions()[:3])
    run_import(content)
    assert Question.objects.filter(quiz=small_course.quiz, active=True).count() == 3
    assert Question.objects.get(pk=last.question_id).active is False
    assert attempt.answers.count() == 4


def test_sections_are_ordered_by_number_part_by_part(tmp_path):
    content = write_course(tmp_path / "content", 0)
    for number in ["2.10", "2.4", "10.1", "2.9"]:
        write_section(content, number, f"s-{number.replace('.', '-')}")
    run_import(content)
    assert list(Section.objects.values_list("number", flat=True)) == ["2.4", "2.9", "2.10", "10.1"]


def test_two_sections_can_swap_numbers(tmp_path):
    content = write_course(tmp_path / "content", 2)
    run_import(content)
    write_section(content, "1.2", "section-1")
    write_section(content, "1.1", "section-2")
    run_import(content)
    assert list(Section.objects.values_list("slug", flat=True)) == ["section-2", "section-1"]


def test_check_validates_without_writing(tmp_path):
    out, _ = run_import(write_course(tmp_path / "content"), "--check")
    assert "valid" in out
    assert not Section.objects.exists()


def test_check_reports_a_takeaway_tested_by_fewer_than_two_questions(tmp_path):
    content = write_course(tmp_path / "content", questions=[question_toml(takeaway=1)])
    _, err = run_import(content, "--check")
    assert "key takeaway 1 is tested by 1 question" in err
    assert "key takeaway 2 is tested by 0 questions" in err


@pytest.mark.parametrize(
    ("lesson", "expected"),
    [
        ('+++\nnumber = "1.1\n+++\n\nBody\n', "lesson.md:2: malformed TOML"),
        (
            lesson_md("1.1", "section-1").replace('summary = "Summary of 1.1."\n', ""),
            "summary: missing key",
        ),
        (
            lesson_md("1.1", "section-1").replace(
                "published = true", "published = true\ncolour = 1"
            ),
            "lesson.md:7: colour: unknown key",
        ),
        (
            lesson_md("1.1", "section-1").replace("published = true", 'published = "yes"'),
            "lesson.md:6: published: must be true or false",
        ),
        (
            lesson_md("1.1", "section-1").replace('number = "1.1"', 'number = "one"'),
            "number: use numbers separated by dots",
        ),
        (lesson_md("1.1", "section-1", body="  \n"), "body: the lesson has no text"),
        ("No front matter here\n", "must start with a +++ line"),
        ('+++\nnumber = "1.1"\n', "no closing +++ line"),
        (
            lesson_md("1.1", "section-1").replace('slug = "section-1"', 'slug = "a b/c"'),
            "slug: use letters, numbers",
        ),
    ],
    ids=[
        "malformed",
        "missing",
        "unknown",
        "wrong-type",
        "bad-number",
        "empty-body",
        "no-front-matter",
        "unclosed-front-matter",
        "bad-slug",
    ],
)
def test_a_bad_lesson_file_is_refused_with_file_field_and_line(tmp_path, lesson, expected):
    content = write_course(tmp_path / "content", with_quiz=False)
    (content / "section-1" / "lesson.md").write_text(lesson)
    message = import_fails(content)
    assert expected in message
    assert "section-1/lesson.md" in message
    assert "nothing was imported" in message


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        ([question_toml(choices=1)], "a question needs at least two choices"),
        ([question_toml(correct=(1, 2))], "exactly one correct choice, not 2"),
        ([question_toml(correct=())], "exactly one correct choice, not 0"),
        ([question_toml(kind="multiple", correct=())], "at least one correct choice"),
        ([question_toml(heading="nowhere")], "no heading with id 'nowhere'"),
        ([question_toml(takeaway=7)], "the lesson has key takeaways 1 to 2"),
        ([question_toml(kind="several")], 'must be "single", "multiple", "match" or "order"'),
        (
            [
                question_toml().replace(
                    'feedback = "Feedback for choice 2."', 'feedback = "x"\nweight = 2'
                )
            ],
            "questions[1].choices[2].weight: unknown key",
        ),
        ([question_toml().replace("Choice 2", "Choice 1")], "two choices have the same text"),
        (
            [question_toml().replace("takeaway = 1", 'takeaway = "1"')],
            "quiz.toml:11: questions[1].takeaway: must be a whole number",
        ),
    ],
    ids=[
        "one-choice",
        "two-correct",
        "none-correct",
        "multiple-none-correct",
        "unknown-heading",
        "unknown-takeaway",
        "bad-kind",
        "unknown-choice-key",
        "duplicate-choice",
        "wrong-type",
    ],
)
def test_a_bad_quiz_is_refused(tmp_path, questions, expected):
    content = write_course(tmp_path / "content", questions=questions)
    message = import_fails(content)
    assert expected in message
    assert "quiz.toml" in message


def test_a_malformed_quiz_names_its_line(tmp_path):
    content = write_course(tmp_path / "content")
    (content / "section-1" / "quiz.toml").write_text(quiz_toml(["[[questions]\n"]))
    assert "quiz.toml:5: malformed TOML" in import_fails(content)


def test_an_unknown_quiz_key_is_refused(tmp_path):
    content = write_course(tmp_path / "content")
    quiz = content / "section-1" / "quiz.toml"
    quiz.write_text("time_limit = 5\n" + quiz.read_text())
    assert "quiz.toml:1: time_limit: unknown key" in import_fails(content)


def test_duplicate_slugs_are_refused(tmp_path):
    content = write_course(tmp_path / "content", 1, with_quiz=False)
    folder = content / "copy"
    folder.mkdir()
    (folder / "lesson.md").write_text(lesson_md("1.2", "section-1"))
    assert "'section-1' is also the slug of" in import_fails(content)


def test_duplicate_numbers_are_refused(tmp_path):
    content = write_course(tmp_path / "content", 1, with_quiz=False)
    write_section(content, "1.1", "other", with_quiz=False)
    assert "'1.1' is also the number of" in import_fails(content)


def test_a_missing_course_file_is_refused(tmp_path):
    content = write_course(tmp_path / "content")
    (content / "course.toml").unlink()
    assert "course.toml: missing" in import_fails(content)


def test_a_failed_import_leaves_the_database_exactly_as_it_was(tmp_path):
    content = write_course(tmp_path / "content", 3)
    run_import(content)
    before = database_snapshot()
    write_section(content, "1.1", "section-1", title="Changed title")
    write_section(content, "1.4", "section-4")
    (content / "section-3" / "quiz.toml").write_text(quiz_toml([question_toml(heading="nope")]))
    import_fails(content)
    assert database_snapshot() == before


def test_a_failed_first_import_writes_nothing(tmp_path):
    content = write_course(tmp_path / "content", 2)
    (content / "section-2" / "lesson.md").write_text("+++\n")
    import_fails(content)
    assert not Course.objects.exists()
    assert not Section.objects.exists()
    assert not Quiz.objects.exists()


def test_every_problem_is_reported_at_once(tmp_path):
    content = write_course(tmp_path / "content", 2)
    (content / "section-1" / "lesson.md").write_text("no front matter\n")
    (content / "section-2" / "quiz.toml").write_text("title = \n")
    message = import_fails(content)
    assert "section-1/lesson.md" in message
    assert "section-2/quiz.toml" in message
    assert "2 problem(s) found" in message


def test_a_takeaway_removed_with_its_questions_is_dropped_and_history_kept(tmp_path, small_course):
    from quizzes.models import Learner
    from quizzes.scoring import answer_question, start_attempt

    attempt = start_attempt(learner=Learner.objects.create(), quiz=small_course.quiz)
    answered = attempt.answers.get(position=4)
    answer_question(
        answer=answered, raw_choice_ids=[attempt.choice_order[str(answered.question_id)][0]]
    )
    content = write_course(tmp_path / "one-takeaway", questions=default_questions()[:2])
    write_section(content, "1.1", "section-1", takeaways=1, questions=default_questions()[:2])
    run_import(content)
    assert list(small_course.takeaways.values_list("position", flat=True)) == [1]
    retired = Question.objects.get(pk=answered.question_id)
    assert (retired.active, retired.takeaway) == (False, None)
    assert attempt.answers.count() == 4
