"""Write small, valid content folders for tests; each test changes what it needs."""

import shutil
from pathlib import Path

from django.conf import settings

from quizzes.models import key_from

COURSE_TOML = 'title = "Test course"\nslug = "test-course"\ndescription = "For tests."\n'


def lesson_md(number, slug, *, title=None, published=True, takeaways=2, body=None):
    listed = "".join(f'    "Takeaway {i} of {number}.",\n' for i in range(1, takeaways + 1))
    body = (
        body
        if body is not None
        else (
            f"## Overview\n\nSection {number} text.\n\n## Details\n\n"
            "| Pattern | Fit |\n|---|---|\n| A | B |\n"
        )
    )
    return (
        "+++\n"
        f'number = "{number}"\n'
        f'title = "{title or "Section " + number}"\n'
        f'slug = "{slug}"\n'
        f'summary = "Summary of {number}."\n'
        f"published = {'true' if published else 'false'}\n"
        f"key_takeaways = [\n{listed}]\n"
        "+++\n\n"
        f"{body}"
    )


def question_toml(
    *,
    kind="single",
    correct=(1,),
    choices=3,
    takeaway=1,
    heading="overview",
    prompt="Which one?",
    key=None,
):
    lines = [
        "[[questions]]",
        f'key = "{key or key_from(prompt, taken=set())}"',
        f'prompt = "{prompt}"',
        f'kind = "{kind}"',
        'explanation = "Because the lesson says so."',
        f'heading = "{heading}"',
        f"takeaway = {takeaway}",
    ]
    for index in range(1, choices + 1):
        lines += [
            "",
            "[[questions.choices]]",
            f'key = "choice-{index}"',
            f'text = "Choice {index}"',
            f"correct = {'true' if index in correct else 'false'}",
            f'feedback = "Feedback for choice {index}."',
        ]
    return "\n".join(lines) + "\n"


def match_question_toml(*, key="match-patterns", reuse=False, answers=("batch", "real-time")):
    """A match question: two prompts, three options (one left over)."""
    lines = [
        "[[questions]]",
        f'key = "{key}"',
        'prompt = "Match each situation to its pattern."',
        'kind = "match"',
        'explanation = "Timing decides."',
        'heading = "overview"',
        "takeaway = 1",
    ]
    if reuse:
        lines.append("reuse_options = true")
    for index, answer in enumerate(answers, start=1):
        lines += [
            "",
            "[[questions.pairs]]",
            f'key = "situation-{index}"',
            f'text = "Situation {index}"',
            f'answer = "{answer}"',
            f'feedback = "Situation {index} is {answer}."',
        ]
    for option in ("batch", "real-time", "embedded"):
        lines += ["", "[[questions.choices]]", f'key = "{option}"', f'text = "Option {option}"']
    return "\n".join(lines) + "\n"


def order_question_toml(*, key="workflow", items=4):
    """An order question whose items are listed in the right order."""
    lines = [
        "[[questions]]",
        f'key = "{key}"',
        'prompt = "Put the steps in order."',
        'kind = "order"',
        'explanation = "The workflow starts with the decision."',
        'heading = "details"',
        "takeaway = 2",
    ]
    for index in range(1, items + 1):
        lines += [
            "",
            "[[questions.choices]]",
            f'key = "step-{index}"',
            f'text = "Step {index}"',
            f'feedback = "Step {index} comes {index}."',
        ]
    return "\n".join(lines) + "\n"


def quiz_toml(questions, *, pass_mark=50, shuffle=False):
    """The quiz file, laid out as export_content writes it: one blank line between tables."""
    header = f'title = "Quiz"\npass_mark = {pass_mark}\nshuffle = {str(shuffle).lower()}\n'
    return "\n".join([header, *questions])


def default_questions():
    return [
        question_toml(prompt="First?", takeaway=1),
        question_toml(prompt="Second?", takeaway=1, correct=(2,)),
        question_toml(prompt="Third?", kind="multiple", correct=(1, 3), takeaway=2),
        question_toml(prompt="Fourth?", takeaway=2, correct=(3,), heading="details"),
    ]


def review_questions():
    """Takeaway 1 is tested by three questions, takeaway 2 by two."""
    return [
        question_toml(prompt="T1 first?", takeaway=1),
        question_toml(prompt="T1 second?", takeaway=1, correct=(2,)),
        question_toml(prompt="T1 third?", takeaway=1, correct=(3,)),
        question_toml(prompt="T2 first?", takeaway=2),
        question_toml(prompt="T2 second?", takeaway=2, correct=(2,)),
    ]


def write_course(directory, sections=1, *, with_quiz=True, questions=None, per_chapter=None):
    """A course of `sections` sections numbered 1.1, 1.2, ..., or `per_chapter` to a
    chapter (1.1 ... 1.n, 2.1 ...); slugs section-1, section-2, ...; returns the folder."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "course.toml").write_text(COURSE_TOML)
    per_chapter = per_chapter or sections
    for index in range(1, sections + 1):
        chapter, place = divmod(index - 1, per_chapter)
        write_section(
            directory,
            f"{chapter + 1}.{place + 1}",
            f"section-{index}",
            with_quiz=with_quiz,
            questions=questions,
        )
    return directory


def write_section(directory, number, slug, *, with_quiz=True, questions=None, **lesson):
    folder = Path(directory) / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lesson.md").write_text(lesson_md(number, slug, **lesson))
    if with_quiz:
        (folder / "quiz.toml").write_text(quiz_toml(questions or default_questions()))
    return folder


def copy_real_content(destination):
    """The project's own content/, copied so a test may change it."""
    return Path(shutil.copytree(settings.BASE_DIR / "content", destination))
