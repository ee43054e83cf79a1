"""Match and order questions: importing and exporting them, checking and scoring answers in
parts, and the learner's card with and without htmx."""

import random
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from course.models import Section
from quizzes.analysis import part_results, question_results
from quizzes.checking import AnswerRefused, check_answer
from quizzes.models import Answer, Attempt, Learner, Question, ReviewItem
from quizzes.review import question_for, shuffled_choices
from quizzes.scoring import answer_question, finish_attempt, start_attempt
from tests.builders import (
    default_questions,
    match_question_toml,
    order_question_toml,
    write_course,
)
from tests.html import ParsedHTML
from tests.support import (
    HTMX,
    admin_change_url,
    import_fails,
    question_form,
    question_url,
    run_command,
)

pytestmark = pytest.mark.django_db

QUESTIONS = [default_questions()[0], match_question_toml(), order_question_toml()]


@pytest.fixture
def folder(tmp_path):
    return write_course(tmp_path / "content", questions=QUESTIONS)


@pytest.fixture
def section(folder):
    run_command("import_content", folder)
    return Section.objects.get()


def question(kind):
    return Question.objects.select_related("current_version").get(kind=kind)


def version(kind):
    return question(kind).current_version


def numbers(kind_version, shown):
    """Choice key -> its number on the card: the choices are numbered in the order shown
    (`shown`: their ids; by default the version's own order)."""
    key_of = {choice.pk: choice.key for choice in kind_version.choices.all()}
    shown = shown or [choice.pk for choice in kind_version.choices.all()]
    return {key_of[pk]: number for number, pk in enumerate(shown, start=1)}


def match_form(kind_version, picks, shown=None):
    """{pair key: option key} as the card's form fields."""
    pairs = {pair.key: pair.pk for pair in kind_version.pairs.all()}
    number = numbers(kind_version, shown)
    return {f"pair-{pairs[pair]}": str(number[option]) for pair, option in picks.items()}


def order_form(kind_version, order, shown=None):
    """Item keys in the learner's order, as the card's form fields."""
    number = numbers(kind_version, shown)
    return {f"place-{number[key]}": str(place) for place, key in enumerate(order, start=1)}


def shown_in(attempt, answer):
    return attempt.choice_order[str(answer.question_id)]


def check(kind, form, allowed=None):
    shown = version(kind)
    return check_answer(
        version=shown,
        raw_parts=form,
        allowed_ids=allowed or [choice.pk for choice in shown.choices.all()],
        confidence="",
    )


# The content format


def test_match_and_order_questions_import_with_their_pairs_and_right_order(section):
    match, order = version("match"), version("order")
    assert [(p.key, p.answer_key) for p in match.pairs.all()] == [
        ("situation-1", "batch"),
        ("situation-2", "real-time"),
    ]
    assert [c.key for c in match.choices.all()] == ["batch", "real-time", "embedded"]
    assert [c.key for c in order.choices.order_by("position")] == [
        "step-1",
        "step-2",
        "step-3",
        "step-4",
    ]


def test_export_writes_match_and_order_questions_back_byte_for_byte(folder, section, tmp_path):
    run_command("export_content", tmp_path / "out")
    written = (tmp_path / "out" / "section-1" / "quiz.toml").read_text()
    assert written == (folder / "section-1" / "quiz.toml").read_text()


@pytest.mark.parametrize(
    ("question_toml", "message"),
    [
        (match_question_toml(answers=("batch", "nowhere")), "no choice has the key nowhere"),
        (match_question_toml(answers=("batch", "batch")), "two pairs have the same answer"),
        (
            match_question_toml().replace('answer = "batch"', 'answer = "batch"\nextra = 1'),
            "pairs[1].extra: unknown key",
        ),
        (
            order_question_toml().replace('text = "Step 1"', 'text = "Step 1"\ncorrect = true'),
            "choices[1].correct: a order question's choices are not right or wrong",
        ),
        (
            default_questions()[0].replace("takeaway = 1", "takeaway = 1\nreuse_options = true"),
            "questions[1].reuse_options: only match questions have it",
        ),
        (match_question_toml(answers=()), "a match question needs at least one pair"),
        (order_question_toml(items=1), "a question needs at least two choices"),
    ],
    ids=["unknown-answer", "answer-twice", "unknown-pair-key", "correct-item", "reuse-on-single",
         "no-pairs", "one-item"],
)  # fmt: skip
def test_a_bad_match_or_order_question_is_refused_with_its_line(tmp_path, question_toml, message):
    folder = write_course(tmp_path / "content", questions=[question_toml])
    problems = import_fails(folder)
    assert message in problems
    assert "quiz.toml:" in problems
    assert not Section.objects.exists()


def test_reuse_options_lets_one_option_answer_several_prompts(tmp_path):
    reused = match_question_toml(reuse=True, answers=("batch", "batch"))
    run_command("import_content", write_course(tmp_path / "content", questions=[reused]))
    assert version("match").reuse_options


# Checking answers in parts


def test_a_match_answer_is_right_only_when_every_pair_is(section):
    right = check("match", match_form(version("match"), {"situation-1": "batch",
                                                         "situation-2": "real-time"}))  # fmt: skip
    half = check("match", match_form(version("match"), {"situation-1": "batch",
                                                        "situation-2": "embedded"}))  # fmt: skip
    assert (right.right, right.parts_right, len(right.parts)) == (True, 2, 2)
    assert (half.right, half.parts_right, len(half.parts)) == (False, 1, 2)


def test_a_match_answer_may_not_use_an_option_twice_unless_the_author_allows_it(section):
    with pytest.raises(AnswerRefused) as refused:
        check("match", match_form(version("match"), {"situation-1": "batch",
                                                     "situation-2": "batch"}))  # fmt: skip
    assert refused.value.code == "used_twice"


def test_a_match_answer_must_pair_every_prompt(section):
    with pytest.raises(AnswerRefused) as refused:
        check("match", match_form(version("match"), {"situation-1": "batch"}))
    assert (refused.value.code, refused.value.status) == ("nothing_chosen", 422)


def test_an_order_answer_counts_the_items_in_place(section):
    swapped = check("order", order_form(version("order"), ["step-2", "step-1", "step-3", "step-4"]))
    right = check("order", order_form(version("order"), ["step-1", "step-2", "step-3", "step-4"]))
    assert (swapped.right, swapped.parts_right) == (False, 2)
    assert (right.right, right.parts_right) == (True, 4)


def test_an_order_answer_needs_each_place_once(section):
    form = order_form(version("order"), ["step-1", "step-2", "step-3", "step-4"])
    first = next(iter(form))
    form[first] = "2"
    with pytest.raises(AnswerRefused) as refused:
        check("order", form)
    assert refused.value.code == "used_twice"


@pytest.mark.parametrize("value", ["x", "0", "99", ""])
def test_an_order_answer_refuses_a_place_that_does_not_exist(section, value):
    form = order_form(version("order"), ["step-1", "step-2", "step-3", "step-4"])
    form[next(iter(form))] = value
    with pytest.raises(AnswerRefused):
        check("order", form)


# Attempts


def test_an_order_question_never_starts_in_the_right_order(section):
    right_order = [c.pk for c in version("order").choices.order_by("position")]
    for _ in range(20):
        attempt = start_attempt(learner=Learner.objects.create(), quiz=section.quiz)
        assert attempt.choice_order[str(question("order").pk)] != right_order


def test_partial_credit_counts_the_share_of_parts_right_when_the_quiz_says_so(folder):
    quiz_file = folder / "section-1" / "quiz.toml"
    with_credit = quiz_file.read_text().replace("shuffle = false\n", "partial_credit = true\n")
    quiz_file.write_text(
        with_credit.replace("pass_mark = 50\n", "pass_mark = 50\nshuffle = false\n")
    )
    run_command("import_content", folder)
    section = Section.objects.get()
    attempt = start_attempt(learner=Learner.objects.create(), quiz=section.quiz)
    answers = {a.question.kind: a for a in attempt.answers.select_related("question", "version")}
    answer_question(answer=answers["single"], raw_choice_ids=[str(
        answers["single"].version.choices.get(correct=True).pk)])  # fmt: skip
    match, order = answers["match"], answers["order"]
    answer_question(answer=match, raw_parts=match_form(
        match.version, {"situation-1": "batch", "situation-2": "embedded"},
        shown_in(attempt, match)))  # fmt: skip
    answer_question(answer=order, raw_parts=order_form(
        order.version, ["step-2", "step-1", "step-3", "step-4"],
        shown_in(attempt, order)))  # fmt: skip
    finished = finish_attempt(attempt=attempt)
    assert finished.correct_count == 1
    assert finished.score == round(100 * (1 + 1 / 2 + 2 / 4) / 3)


# The learner's card


@pytest.fixture
def open_attempt(client, section):
    client.post(reverse("quizzes:start", args=[section.slug]))
    return Attempt.objects.get()


def labels(html):
    """(for, text) of every label of the page."""
    return re.findall(r'<label for="([^"]+)">([^<]*)</label>', html)


def right_form(version_, shown):
    if version_.kind == "match":
        return match_form(version_, {p.key: p.answer_key for p in version_.pairs.all()}, shown)
    if version_.kind == "order":
        right_order = [c.key for c in version_.choices.order_by("position")]
        return order_form(version_, right_order, shown)
    return {"choice": [version_.choices.get(correct=True).pk]}


def position_of(client, attempt, kind):
    """The position of the question of this kind, once every question before it is
    answered (the site sends a learner to the first open question)."""
    target = attempt.answers.get(question__kind=kind).position
    for answer in attempt.answers.filter(position__lt=target).select_related("version"):
        form = right_form(answer.version, shown_in(attempt, answer))
        client.post(question_url(attempt, answer.position), form)
    return target


def test_the_match_card_offers_a_labelled_select_per_prompt_and_gives_nothing_away(
    client, open_attempt
):
    page = client.get(question_url(open_attempt, position_of(client, open_attempt, "match")))
    text = page.content.decode()
    selects = [attrs["id"] for tag, attrs in ParsedHTML(text).elements if tag == "select"]
    assert len(selects) == 2
    assert dict(labels(text)).keys() >= set(selects)
    assert "Situation 1 is batch" not in text  # feedback
    assert 'value="batch"' not in text  # option keys, which name the answers


def test_the_order_card_starts_in_an_order_that_is_not_the_answer(client, open_attempt):
    page = client.get(question_url(open_attempt, position_of(client, open_attempt, "order")))
    items = [text for _, text in labels(page.content.decode()) if text.startswith("Step")]
    assert sorted(items) == ["Step 1", "Step 2", "Step 3", "Step 4"]
    assert items != ["Step 1", "Step 2", "Step 3", "Step 4"]
    assert "comes 1" not in page.content.decode()
    # Fields are numbered in the order shown: no id tells the order the author wrote.
    names = [a["name"] for tag, a in ParsedHTML(page.content.decode()).elements if tag == "select"]
    assert names == ["place-1", "place-2", "place-3", "place-4"]


def test_a_match_answer_without_javascript_locks_and_shows_each_pair(client, open_attempt):
    position = position_of(client, open_attempt, "match")
    answer = open_attempt.answers.get(position=position)
    form = match_form(
        answer.version,
        {"situation-1": "batch", "situation-2": "embedded"},
        shown_in(open_attempt, answer),
    )
    response = client.post(question_url(open_attempt, position), form)
    assert response.status_code == 302
    answer = Answer.objects.get(pk=answer.pk)
    assert (answer.correct, answer.parts_right, answer.part_count) == (False, 1, 2)
    page = client.get(response["Location"]).content.decode()
    assert "1 of 2 pairs right" in page
    assert "Right answer: Option real-time" in page
    assert "Situation 2 is real-time." in page


def test_an_order_answer_with_htmx_swaps_in_the_verdict_and_the_right_order(client, open_attempt):
    position = position_of(client, open_attempt, "order")
    answer = open_attempt.answers.get(position=position)
    form = order_form(
        answer.version, ["step-1", "step-2", "step-4", "step-3"], shown_in(open_attempt, answer)
    )
    response = client.post(question_url(open_attempt, position), form, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="question-card"')
    assert "2 of 4 items in place" in html
    assert "The right order" in html


def test_an_incomplete_match_answer_is_shown_again_with_what_was_chosen(client, open_attempt):
    position = position_of(client, open_attempt, "match")
    answer = open_attempt.answers.get(position=position)
    form = match_form(answer.version, {"situation-1": "real-time"}, shown_in(open_attempt, answer))
    response = client.post(question_url(open_attempt, position), form, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose an option for every prompt" in html
    assert re.findall(r'<option value="\d+" selected>([^<]*)</option>', html) == [
        "Option real-time"
    ]
    assert not Answer.objects.get(pk=answer.pk).is_locked


def test_results_list_each_pairing_and_the_right_order(client, open_attempt):
    for answer in open_attempt.answers.select_related("version"):
        form = right_form(answer.version, shown_in(open_attempt, answer))
        if answer.version.kind == "order":
            reversed_ends = ["step-4", "step-2", "step-3", "step-1"]
            form = order_form(answer.version, reversed_ends, shown_in(open_attempt, answer))
        client.post(question_url(open_attempt, answer.position), form)
    client.post(reverse("quizzes:finish", args=[open_attempt.pk]))
    page = client.get(reverse("quizzes:results", args=[open_attempt.pk])).content.decode()
    assert "Situation 1 → Option batch" in page
    assert "2 of 4 items in place" in page
    assert "Step 1; Step 2; Step 3; Step 4" in page


# For instructors


def pair_form(question, pairs):
    """The admin change form's POST data for a match question with `pairs`:
    [(text, answer key)], the question's choices as they are."""
    choices = [(choice.text, False) for choice in question.choices.order_by("position")]
    data = question_form(question, choices)
    existing = list(question.pairs.order_by("position"))
    data.update({"pairs-TOTAL_FORMS": len(pairs), "pairs-INITIAL_FORMS": len(existing)})
    for index, (text, answer) in enumerate(pairs):
        prefix = f"pairs-{index}-"
        if index < len(existing):
            data[prefix + "id"] = existing[index].pk
            data[prefix + "key"] = existing[index].key
        data.update({prefix + "question": question.pk, prefix + "position": index + 1,
                     prefix + "text": text, prefix + "answer": answer})  # fmt: skip
    return data


def test_an_instructor_edits_a_pairing_and_new_attempts_ask_the_new_version(
    instructor_client, section
):
    match = question("match")
    data = pair_form(match, [("Situation 1", "embedded"), ("Situation 2", "real-time")])
    response = instructor_client.post(admin_change_url(match), data)
    assert response.status_code == 302
    assert list(match.versions.values_list("number", flat=True)) == [1, 2]
    assert version("match").pairs.get(key="situation-1").answer_key == "embedded"


def test_the_admin_refuses_a_pair_answered_by_no_choice(instructor_client, section):
    match = question("match")
    data = pair_form(match, [("Situation 1", "nowhere"), ("Situation 2", "real-time")])
    response = instructor_client.post(admin_change_url(match), data)
    assert response.status_code == 200
    assert "No choice has the key nowhere." in response.content.decode()
    assert match.versions.count() == 1


@pytest.mark.parametrize("kind", ["match", "order"])
def test_the_preview_shows_the_card_before_and_after_right_and_wrong_answers(
    instructor_client, section, kind
):
    url = reverse("admin:quizzes_question_preview", args=[question(kind).pk])
    page = instructor_client.get(url).content.decode()
    assert "Before answering" in page
    assert "After a right answer" in page
    assert "With every part wrong" in page
    assert ("2 of 2 pairs right" if kind == "match" else "4 of 4 items in place") in page


def answer_parts(kind, form_of):
    """A new learner's answer to the question of this kind: `form_of(version, shown)`."""
    attempt = start_attempt(learner=Learner.objects.create(), quiz=question(kind).quiz)
    answer = attempt.answers.select_related("version").get(question__kind=kind)
    answer_question(answer=answer, raw_parts=form_of(answer.version, shown_in(attempt, answer)))
    return attempt


def test_item_analysis_counts_each_pair_and_the_wrong_pairing_given_most(section):
    picks = [
        {"situation-1": "batch", "situation-2": "real-time"},
        {"situation-1": "batch", "situation-2": "embedded"},
        {"situation-1": "embedded", "situation-2": "batch"},
        {"situation-1": "real-time", "situation-2": "embedded"},
    ]
    for pick in picks:
        answer_parts("match", lambda shown_version, shown, pick=pick: match_form(
            shown_version, pick, shown))  # fmt: skip
    (result,) = [r for r in question_results(section.quiz) if r.question_id == question("match").pk]
    assert (result.answers, result.right) == (4, 1)
    parts = part_results(section.quiz)[result.version_id]
    assert [(p.text, p.right_percent) for p in parts.parts] == [
        ("Situation 1", 50),
        ("Situation 2", 25),
    ]
    assert (parts.top_wrong, parts.top_wrong_count) == ("Situation 2 → Option embedded", 2)


def test_item_analysis_counts_each_item_in_place(section):
    for order in (
        ["step-1", "step-2", "step-3", "step-4"],
        ["step-2", "step-1", "step-3", "step-4"],
    ):
        answer_parts("order", lambda shown_version, shown, order=order: order_form(
            shown_version, order, shown))  # fmt: skip
    parts = part_results(section.quiz)[version("order").pk]
    assert [p.right_percent for p in parts.parts] == [50, 50, 100, 100]
    assert parts.top_wrong in ("Step 1 → place 2", "Step 2 → place 1")


def test_the_quiz_admin_page_shows_how_learners_do_on_each_pair(instructor_client, section):
    wrong_first = {"situation-1": "embedded", "situation-2": "real-time"}
    answer_parts(
        "match", lambda shown_version, shown: match_form(shown_version, wrong_first, shown)
    )
    page = instructor_client.get(admin_change_url(section.quiz)).content.decode()
    assert "Situation 1 → Option embedded" in page
    assert "Situation 2: 100% right" in page


def test_the_csv_lists_each_pairing_a_learner_gave(instructor_client, section):
    picks = {"situation-1": "batch", "situation-2": "embedded"}
    answer_parts("match", lambda shown_version, shown: match_form(shown_version, picks, shown))
    csv_text = instructor_client.get(reverse("admin:quizzes_learner_answers_csv"))
    body = b"".join(csv_text.streaming_content).decode()
    assert "Situation 1 → Option batch | Situation 2 → Option embedded" in body


def test_a_match_question_can_come_back_on_the_review_page(client, section, clock):
    start = client.post(reverse("quizzes:start", args=[section.slug]))
    attempt = Attempt.objects.get()
    assert start.status_code == 302
    answer = attempt.answers.select_related("version").get(question__kind="match")
    Question.objects.exclude(kind="match").update(active=False)  # only it tests takeaway 1
    position = position_of(client, attempt, "match")
    client.post(question_url(attempt, position), match_form(
        answer.version, {"situation-1": "real-time", "situation-2": "batch"},
        shown_in(attempt, answer)))  # fmt: skip
    clock.shift(timedelta(days=1))
    page = client.get(reverse("quizzes:review")).content.decode()
    assert "Situation 1" in page
    assert "Choose an option" in page
    item = ReviewItem.objects.get(takeaway__position=1)
    version_ = question_for(item)
    shown = [choice.pk for choice in shuffled_choices(item, version_)]
    right = match_form(version_, {"situation-1": "batch", "situation-2": "real-time"}, shown)
    form = {"question_version": version_.pk, "turn": item.reviews, **right}
    response = client.post(reverse("quizzes:review_answer", args=[item.pk]), form, **HTMX)
    assert "2 of 2 pairs right" in response.content.decode()


# The order of the questions


def question_order(attempt):
    return list(attempt.answers.order_by("position").values_list("question_id", flat=True))


def test_a_shuffled_quiz_asks_its_questions_in_another_order_on_another_attempt(seed_course):
    random.seed(20261203)
    first = start_attempt(learner=Learner.objects.create(), quiz=seed_course.quiz)
    second = start_attempt(learner=Learner.objects.create(), quiz=seed_course.quiz)
    assert question_order(first) != question_order(second)
    assert sorted(question_order(first)) == sorted(question_order(second))


def test_the_question_order_holds_when_the_learner_comes_back(client, seed_course):
    client.post(reverse("quizzes:start", args=[seed_course.slug]))
    attempt = Attempt.objects.get()
    before = question_order(attempt)
    client.post(reverse("quizzes:start", args=[seed_course.slug]))  # "Resume your attempt"
    assert Attempt.objects.get() == attempt
    assert question_order(attempt) == before
    prompt = attempt.answers.get(position=1).version.prompt_html
    assert prompt in client.get(question_url(attempt, 1)).content.decode()


def test_an_unshuffled_quiz_asks_its_questions_in_the_file_order(section):
    attempt = start_attempt(learner=Learner.objects.create(), quiz=section.quiz)
    kinds = [a.question.kind for a in attempt.answers.select_related("question")]
    assert kinds == ["single", "match", "order"]


def test_a_match_question_whose_options_have_no_feedback_saves_in_the_admin(
    instructor_client, section
):
    match = question("match")
    pairs = [(pair.text, pair.answer) for pair in match.pairs.order_by("position")]
    data = pair_form(match, pairs)
    for index in range(match.choices.count()):
        data[f"choices-{index}-feedback"] = ""
    for index, pair in enumerate(match.pairs.order_by("position")):
        data[f"pairs-{index}-feedback"] = pair.feedback
    response = instructor_client.post(admin_change_url(match), data)
    assert response.status_code == 302
    assert match.versions.count() == 1  # nothing that means anything changed
