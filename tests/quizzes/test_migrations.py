"""Migrations keep learners' records: renamed models carry their rows along, and every
answer given before questions had versions reads as it was given."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("quizzes", "0003_retired_question_takeaway"),
    ("course", "0003_section_content_bookkeeping"),
]
AFTER = [("quizzes", "0004_answer")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrated_back(transactional_db):
    """Tests move the schema back in time; the next test gets today's schema again."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_renaming_response_to_answer_keeps_every_answer_and_what_it_chose(migrated_back):
    apps = migrate(BEFORE)
    course = apps.get_model("course", "Course").objects.create(title="C", slug="c")
    section = apps.get_model("course", "Section").objects.create(
        course=course, number="1.1", sort_key="0001.0001", chapter=1, title="S", slug="s",
        body="b", body_html="<p>b</p>",
    )  # fmt: skip
    takeaway = apps.get_model("course", "KeyTakeaway").objects.create(
        section=section, position=1, text="T"
    )
    quiz = apps.get_model("quizzes", "Quiz").objects.create(section=section, title="Q")
    question = apps.get_model("quizzes", "Question").objects.create(
        quiz=quiz, position=1, prompt="P", prompt_html="P", explanation="E",
        explanation_html="E", heading_id="h", takeaway=takeaway,
    )  # fmt: skip
    choice = apps.get_model("quizzes", "Choice").objects.create(
        question=question, position=1, text="A", correct=True, feedback="F", feedback_html="F"
    )
    learner = apps.get_model("quizzes", "Learner").objects.create()
    attempt = apps.get_model("quizzes", "Attempt").objects.create(
        learner=learner, quiz=quiz, started_at=timezone.now(), question_count=1
    )
    response = apps.get_model("quizzes", "Response").objects.create(
        attempt=attempt, question=question, position=1, correct=True, answered_at=timezone.now()
    )
    response.chosen.add(choice)

    apps = migrate(AFTER)
    answer = apps.get_model("quizzes", "Answer").objects.get()
    assert (answer.pk, answer.correct) == (response.pk, True)
    assert list(answer.chosen.values_list("pk", flat=True)) == [choice.pk]
    instructors = apps.get_model("auth", "Group").objects.get(name="Instructors")
    assert instructors.permissions.filter(codename="view_answer").exists()
    assert not apps.get_model("auth", "Permission").objects.filter(codename="view_response")


def a_question_with_answers(apps):
    """A question of three choices, the third retired after one learner chose it."""
    course = apps.get_model("course", "Course").objects.create(title="C", slug="c")
    section = apps.get_model("course", "Section").objects.create(
        course=course, number="1.1", sort_key="0001.0001", chapter=1, title="S", slug="s",
        body="b", body_html="<p>b</p>",
    )  # fmt: skip
    takeaway = apps.get_model("course", "KeyTakeaway").objects.create(
        section=section, position=1, text="T"
    )
    quiz = apps.get_model("quizzes", "Quiz").objects.create(section=section, title="Q")
    question = apps.get_model("quizzes", "Question").objects.create(
        quiz=quiz, position=1, prompt="Which pattern?", prompt_html="Which pattern?",
        explanation="E", explanation_html="E", heading_id="h", takeaway=takeaway,
    )  # fmt: skip
    Choice = apps.get_model("quizzes", "Choice")
    choices = [
        Choice.objects.create(
            question=question,
            position=position,
            text=text,
            correct=position == 1,
            feedback="F",
            feedback_html="F",
            active=position < 3,
        )
        for position, text in [(1, "Batch inference"), (2, "Real-time"), (3, "Embedded AI")]
    ]
    Learner = apps.get_model("quizzes", "Learner")
    Attempt = apps.get_model("quizzes", "Attempt")
    answers = []
    for picked, shown in [(choices[2], choices), (choices[0], choices[:2])]:
        attempt = Attempt.objects.create(
            learner=Learner.objects.create(), quiz=quiz, started_at=timezone.now(),
            question_count=1, choice_order={str(question.pk): [c.pk for c in shown]},
        )  # fmt: skip
        answer = apps.get_model("quizzes", "Answer").objects.create(
            attempt=attempt, question=question, position=1, correct=picked == choices[0],
            answered_at=timezone.now(),
        )  # fmt: skip
        answer.chosen.add(picked)
        answers.append(answer.pk)
    return question.pk, answers


def test_every_earlier_answer_gets_the_version_it_was_shown(migrated_back):
    apps = migrate([("quizzes", "0005_learner_browser_key")])
    question_id, (chose_retired, chose_active) = a_question_with_answers(apps)

    apps = migrate([("quizzes", "0006_question_versions")])
    Answer = apps.get_model("quizzes", "Answer")
    question = apps.get_model("quizzes", "Question").objects.get(pk=question_id)
    old = Answer.objects.get(pk=chose_retired)
    assert old.version.number == 1
    assert [c.text for c in old.chosen.all()] == ["Embedded AI"]
    assert list(old.version.choices.values_list("text", flat=True)) == [
        "Batch inference", "Real-time", "Embedded AI",
    ]  # fmt: skip
    shown = old.attempt.choice_order[str(question_id)]
    assert list(old.version.choices.values_list("pk", flat=True)) == shown
    recent = Answer.objects.get(pk=chose_active)
    assert recent.version == question.current_version
    assert recent.version.number == 2
    assert [c.text for c in recent.chosen.all()] == ["Batch inference"]
    assert list(recent.version.choices.values_list("key", flat=True)) == [
        "batch-inference", "real-time",
    ]  # fmt: skip


def test_signed_in_sessions_stay_signed_in_when_the_authentication_backend_is_replaced(
    migrated_back, client
):
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    migrate([("quizzes", "0012_version_ordering_by_column")])
    user = get_user_model().objects.create_user("ada", password="x")
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            "learner_id": 7,
        }
    )
    session.create()

    migrate([("quizzes", "0013_sessions_use_user_and_learner_backend")])
    data = SessionStore(session.session_key).load()
    assert data[BACKEND_SESSION_KEY] == "quizzes.learners.UserAndLearnerBackend"
    assert data["learner_id"] == 7
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    client.cookies["sessionid"] = session.session_key
    assert "Account: ada" in client.get("/").content.decode()
