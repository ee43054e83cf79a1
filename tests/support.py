"""Helpers the test modules share. Fixtures live in the conftest.py files; content folders
come from builders.py, HTML reading from html.py, the site under gunicorn from site_server.py."""

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, Learner
from quizzes.scoring import answer_question, finish_attempt, start_attempt

INSTRUCTOR_PASSWORD = "lantern-orchard-47"
LEARNER_PASSWORD = "a-long-unusual-passphrase-42"

# Where tests that move the clock begin: a Monday morning.
START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.UTC)

HTMX = {"HTTP_HX_REQUEST": "true"}


# Addresses


def question_url(attempt, position):
    return reverse("quizzes:question", args=[attempt.pk, position])


def admin_change_url(instance):
    """The admin change page of a saved model instance."""
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


# Taking a quiz


def choice_ids(attempt, position, *, correct=None):
    """The attempt's choice ids for a question, optionally only the right or wrong ones."""
    response = attempt.answers.get(position=position)
    ids = attempt.choice_order[str(response.question_id)]
    if correct is None:
        return ids
    right = set(response.version.choices.filter(correct=True).values_list("pk", flat=True))
    return [pk for pk in ids if (pk in right) == correct]


def answer_form(attempt, position, *, right=True):
    """Form fields that answer a question of an attempt, right or wrong, whatever its kind:
    the right choices or one wrong one; each prompt's option or the next option along; the
    items in the right order or in reverse."""
    answer = attempt.answers.select_related("version").get(position=position)
    version = answer.version
    if not version.in_parts:
        ids = choice_ids(attempt, position, correct=right)
        return {"choice": ids if right else ids[:1]}
    shown = attempt.choice_order[str(answer.question_id)]
    number = {choice.key: shown.index(choice.pk) + 1 for choice in version.choices.all()}
    if version.kind == "match":
        keys = [choice.key for choice in version.choices.order_by("position")]
        return {
            f"pair-{pair.pk}": str(
                number[pair.answer_key if right else
                       keys[(keys.index(pair.answer_key) + 1) % len(keys)]]
            )
            for pair in version.pairs.all()
        }  # fmt: skip
    items = list(version.choices.order_by("position"))
    order = items if right else items[::-1]
    return {f"place-{number[item.key]}": str(place) for place, item in enumerate(order, start=1)}


def take_quiz(quiz, picks, *, learner=None, finished=True):
    """One attempt through the quiz services, a new anonymous learner's unless `learner` is
    given. `picks`: question position -> the positions of the choices picked; questions
    left out stay unanswered."""
    attempt = start_attempt(learner=learner or Learner.objects.create(), quiz=quiz)
    for response in attempt.answers.select_related("question").order_by("position"):
        if response.position in picks:
            choices = response.version.choices
            ids = [choices.get(position=p).pk for p in picks[response.position]]
            answer_question(answer=response, raw_choice_ids=ids)
    if finished:
        finish_attempt(attempt=attempt)
    return attempt


def finished_attempt(learner, section, score, *, when=None):
    """A finished four-question attempt written straight to the database."""
    return Attempt.objects.create(
        learner=learner,
        quiz=section.quiz,
        started_at=timezone.now(),
        finished_at=when or timezone.now(),
        question_count=4,
        correct_count=score * 4 // 100,
        score=score,
        passed=score >= section.quiz.pass_mark,
    )


# The admin's forms


def section_form(section, **changes):
    """The admin change form's POST data for `section` as it is, with `changes` applied."""
    takeaways = list(section.takeaways.all())
    data = {
        "course": section.course_id,
        "number": section.number,
        "title": section.title,
        "slug": section.slug,
        "summary": section.summary,
        "published": "on" if section.published else "",
        "body": section.body,
        "takeaways-TOTAL_FORMS": len(takeaways),
        "takeaways-INITIAL_FORMS": len(takeaways),
        "takeaways-MIN_NUM_FORMS": 1,
        "takeaways-MAX_NUM_FORMS": 1000,
    }
    for index, takeaway in enumerate(takeaways):
        data.update(
            {
                f"takeaways-{index}-id": takeaway.pk,
                f"takeaways-{index}-section": section.pk,
                f"takeaways-{index}-order": takeaway.position,
                f"takeaways-{index}-text": takeaway.text,
            }
        )
    data.update(changes)
    return data


def question_form(question, choices):
    """The admin change form's POST data: the question as it is, with `choices`
    given as (text, correct) pairs replacing the existing ones in order."""
    existing = list(question.choices.order_by("position"))
    data = {
        "quiz": question.quiz_id,
        "position": question.position,
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "takeaway": question.takeaway_id,
        "heading_id": question.heading_id,
        "key": question.key,
        "active": "on",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(existing),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
        "pairs-TOTAL_FORMS": 0,
        "pairs-INITIAL_FORMS": 0,
        "pairs-MIN_NUM_FORMS": 0,
        "pairs-MAX_NUM_FORMS": 1000,
    }
    for index, (text, correct) in enumerate(choices):
        prefix = f"choices-{index}-"
        if index < len(existing):
            data[prefix + "id"] = existing[index].pk
            data[prefix + "key"] = existing[index].key
        data[prefix + "question"] = question.pk
        data[prefix + "position"] = index + 1
        data[prefix + "text"] = text
        data[prefix + "feedback"] = f"Feedback {index}"
        data[prefix + "active"] = "on"
        if correct:
            data[prefix + "correct"] = "on"
    for index in range(len(choices), len(existing)):
        prefix = f"choices-{index}-"
        data.update(
            {
                prefix + "id": existing[index].pk,
                prefix + "question": question.pk,
                prefix + "key": existing[index].key,
                prefix + "position": index + 1,
                prefix + "text": existing[index].text,
                prefix + "feedback": "x",
                prefix + "DELETE": "on",
            }
        )
        data["choices-TOTAL_FORMS"] = len(existing)
    return data


# Commands, in this process or in one of their own


def run_command(command, *args):
    """Run a management command here; returns what it wrote, output then errors."""
    out, err = StringIO(), StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def import_fails(directory, *args):
    """Run import_content on a folder it must refuse; returns the problems it printed."""
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_content", str(directory), *args, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(failure.value)


def process_env(overrides):
    """The environment of a process a test starts: this one's without the suite's own
    Django and pytest settings, then `overrides`."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PYTEST"))
    }
    return {**inherited, **overrides}


def manage(*args, env, check=False):
    """Run manage.py in a process of its own, configured by `env` alone."""
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        env=process_env(env),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,  # a hang fails the test instead of stalling the suite
    )


# In the browser

ARTIFACTS = settings.BASE_DIR / "artifacts"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx would copy.
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")


def has_no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def right_choice_texts(attempt, position):
    response = attempt.answers.get(position=position)
    return list(response.question.choices.filter(correct=True).values_list("text", flat=True))


def answer_right_in_browser(card, answer):
    """Set the right answer on a question card: the right choices, each prompt's option,
    or each item's place."""
    version = answer.version
    if version.kind == "match":
        options = {choice.key: choice.text for choice in version.choices.all()}
        for pair in version.pairs.all():
            card.get_by_label(pair.text, exact=True).select_option(label=options[pair.answer_key])
    elif version.kind == "order":
        for place, item in enumerate(version.choices.order_by("position"), start=1):
            card.get_by_label(item.text, exact=True).select_option(str(place))
    else:
        for choice in version.choices.filter(correct=True):
            card.get_by_label(choice.text, exact=True).check()


def answer_any_in_browser(card):
    """Set some answer on a question card: the first choice, a different option for each
    prompt, or the items where they are."""
    card.get_by_role("button", name="Check").wait_for()  # the card asking, not the last verdict
    if card.locator("input[name=choice]").count():
        card.locator("input[name=choice]").first.check()
        return
    for number, select in enumerate(card.locator("select[name^=pair-]").all()):
        options = select.locator("option").count() - 1  # after "Choose an option"
        select.select_option(index=number % options + 1)


def take_quiz_in_browser(page, base_url, *, with_htmx):
    """Take the seed quiz from its start page, every answer right and sure."""
    page.goto(base_url + "/sections/inference-patterns/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    attempt = Attempt.objects.get()
    for position in range(1, attempt.question_count + 1):
        card = page.locator("#question-card")
        expect(card.locator(".progress-line")).to_have_text(
            f"Question {position} of {attempt.question_count}"
        )
        answer_right_in_browser(card, attempt.answers.get(position=position))
        card.get_by_label("I'm sure").check()
        url_before = page.url
        card.get_by_role("button", name="Check").click()
        expect(page.locator("#question-card .verdict")).to_contain_text("Right.")
        expect(page.locator("#question-card .explanation")).to_be_visible()
        if with_htmx:
            # The card was swapped in place, and focus moved to it.
            assert page.url == url_before
            expect(page.locator("#question-card")).to_be_focused()
        expect(page).to_have_title(re.compile(rf"^Question {position} of "))
        if position < attempt.question_count:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()
    expect(page.get_by_role("heading", name="Your score: 100%")).to_be_visible()
    expect(page.locator(".review-item")).to_have_count(attempt.question_count)
    return attempt
