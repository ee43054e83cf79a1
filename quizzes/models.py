"""Quizzes and what learners do: learners, lessons read, attempts, answers, reviews, and
the record of completing the course."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from course.content.format import clean_text
from course.models import KeyTakeaway, Section
from course.rendering import (
    missing_heading,
    plain_text,
    render_inline_markdown,
    render_markdown,
)


class Learner(models.Model):
    """Whoever is learning: an account, or an anonymous visitor known by their session.

    All progress hangs off a learner, so moving an anonymous visitor's progress to
    their new account is a merge of two learners (see quizzes/learners.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learner",
    )
    browser_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="An anonymous learner's browser (see quizzes/learners.py).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviews_stamp = models.PositiveIntegerField(
        default=0,
        # Also the database's own: rows written by older code, or by SQL, start at 0.
        db_default=0,
        editable=False,
        help_text="Counts changes to the learner's review queue: the menu's count of reviews "
        "due is kept in the cache under it (quizzes/review.py).",
    )

    def __str__(self):
        return self.user.get_username() if self.user_id else f"Anonymous learner {self.pk}"


class LessonCompletion(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="completions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "section"], name="one_completion_per_lesson")
        ]

    def __str__(self):
        return f"{self.learner} read {self.section.number}"


class Quiz(models.Model):
    section = models.OneToOneField(Section, on_delete=models.CASCADE, related_name="quiz")
    title = models.CharField(max_length=200)
    pass_mark = models.PositiveSmallIntegerField(
        default=70, help_text="Percent of questions to answer right to pass."
    )
    shuffle = models.BooleanField(
        default=True,
        help_text="Shuffle the order of the questions and of each question's choices, once "
        "per attempt: a learner who comes back finds them as they left them.",
    )
    partial_credit = models.BooleanField(
        default=False,
        help_text="Match and order questions score the share of pairs right or items in "
        "place; otherwise a question counts only when fully right.",
    )

    class Meta:
        verbose_name_plural = "quizzes"
        ordering = ["section__sort_key"]

    def __str__(self):
        return f"{self.section.number} {self.title}"

    def get_absolute_url(self):
        return reverse("quizzes:quiz", args=[self.section.slug])


class Question(models.Model):
    SINGLE = "single"
    MULTIPLE = "multiple"
    MATCH = "match"
    ORDER = "order"
    KINDS = [
        (SINGLE, "One answer"),
        (MULTIPLE, "Select all that apply"),
        (MATCH, "Match each prompt to an option"),
        (ORDER, "Put the items in order"),
    ]
    # Kinds whose choices are right or wrong one by one; the others are answered in parts.
    CHOICE_KINDS = (SINGLE, MULTIPLE)

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=60,
        blank=True,
        help_text="The question's name within its quiz, kept when questions are reordered; "
        "made from the prompt when left empty.",
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=8,
        choices=KINDS,
        default=SINGLE,
        help_text="Match: the choices are the options and the pairs the prompts. Order: the "
        "choices are the items, in the right order.",
    )
    reuse_options = models.BooleanField(
        default=False, help_text="Match questions: one option may answer several prompts."
    )
    prompt = models.TextField(help_text="Markdown.")
    prompt_html = models.TextField(editable=False)
    explanation = models.TextField(help_text="Markdown, shown once the answer is locked.")
    explanation_html = models.TextField(editable=False)
    heading_id = models.CharField(
        max_length=100, help_text="Id of the lesson heading that teaches this question."
    )
    takeaway = models.ForeignKey(
        KeyTakeaway,
        on_delete=models.RESTRICT,
        # Empty only on a retired question whose takeaway was removed from the lesson.
        null=True,
        related_name="questions",
        help_text="The key takeaway this question tests.",
    )
    active = models.BooleanField(
        default=True,
        help_text="Questions removed from the quiz after learners answered them are kept, "
        "inactive, so their answers stay in the history.",
    )
    current_version = models.ForeignKey(
        "QuestionVersion",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="What new attempts ask (see quizzes/versions.py).",
    )

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "position"],
                condition=Q(active=True),
                name="unique_active_question_position",
            ),
            models.UniqueConstraint(
                fields=["quiz", "key"], condition=Q(active=True), name="unique_active_question_key"
            ),
        ]

    def __str__(self):
        return f"Q{self.position}: {plain_text(self.prompt_html, limit=60)}"

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.quiz_id and self.takeaway_id and self.takeaway.section_id != self.quiz.section_id:
            errors["takeaway"] = ValidationError(
                "Choose a key takeaway of this quiz's own section.", code="takeaway"
            )
        known = missing_heading(self.quiz.section.toc, self.heading_id) if self.quiz_id else None
        if known is not None:
            errors["heading_id"] = ValidationError(
                f"No heading with this id in the lesson (headings: {known}).", code="heading"
            )
        if errors:
            raise ValidationError(errors)

    def render(self):
        # Text is kept as content/ holds it (a browser sends CR LF line ends, for one).
        if not self.key:
            siblings = self.quiz.questions.filter(active=True) if self.quiz_id else []
            taken = {question.key for question in siblings if question.pk != self.pk}
            self.key = key_from(self.prompt, taken=taken)
        self.prompt = clean_text(self.prompt)
        self.explanation = clean_text(self.explanation)
        self.prompt_html = render_inline_markdown(self.prompt)
        self.explanation_html = render_markdown(self.explanation)

    @property
    def is_multiple(self):
        return self.kind == self.MULTIPLE


def key_from(text: str, *, taken: set[str]) -> str:
    """A key made from a text (its first words, as a slug), not one of `taken`."""
    base = ""
    for word in slugify(text).split("-"):  # whole words, up to about 30 characters
        if base and len(base) + len(word) >= 30:
            break
        base = f"{base}-{word}" if base else word
    base = base or "item"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def choice_set_problems(kind, choices):
    """What is wrong with a question's choices, given as (text, correct) pairs: a match
    question's options, an order question's items.

    The importer and the admin both refuse a question for these reasons.
    """
    problems = []
    if len(choices) < 2:
        problems.append("a question needs at least two choices")
    texts = [text.strip() for text, _correct in choices]
    if len(set(texts)) != len(texts):
        problems.append("two choices have the same text")
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if kind == Question.SINGLE and correct != 1:
        problems.append(f"a single-answer question needs exactly one correct choice, not {correct}")
    if kind == Question.MULTIPLE and correct < 1:
        problems.append("a select-all question needs at least one correct choice")
    if kind not in Question.CHOICE_KINDS and correct:
        problems.append(f"a {kind} question's choices are not marked correct")
    return problems


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(
        max_length=60,
        blank=True,
        help_text="The choice's name within its question, kept when choices are reordered; "
        "made from the text when left empty.",
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    correct = models.BooleanField(default=False)
    feedback = models.TextField(
        blank=True,
        help_text="Markdown: why this choice is right or wrong. Optional for a match "
        "question's options and an order question's items.",
    )
    feedback_html = models.TextField(editable=False)
    active = models.BooleanField(
        default=True, help_text="Only active choices are offered in new attempts."
    )

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "key"],
                condition=Q(active=True),
                name="unique_active_choice_key",
            )
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self):
        if not self.key:
            taken = self.question.choices.exclude(pk=self.pk).filter(active=True)
            self.key = key_from(self.text, taken={choice.key for choice in taken})
        self.feedback = clean_text(self.feedback)
        self.feedback_html = render_inline_markdown(self.feedback)


class Pair(models.Model):
    """A prompt of a match question, with the key of the option (a choice) that answers it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="pairs")
    key = models.SlugField(
        max_length=60, blank=True, help_text="Made from the text when left empty."
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    answer = models.SlugField(max_length=60, help_text="The key of the choice that answers it.")
    feedback = models.TextField(blank=True, help_text="Markdown: why this is the pairing.")
    feedback_html = models.TextField(editable=False)

    class Meta:
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="unique_pair_key")]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self):
        if not self.key:
            taken = self.question.pairs.exclude(pk=self.pk).values_list("key", flat=True)
            self.key = key_from(self.text, taken=set(taken))
        self.feedback = clean_text(self.feedback)
        self.feedback_html = render_inline_markdown(self.feedback)


def pair_problems(option_keys, pairs, *, reuse_options):
    """What is wrong with a match question's pairs, given as (text, answer key) pairs.

    The importer and the admin both refuse a question for these reasons.
    """
    problems = []
    if not pairs:
        problems.append("a match question needs at least one pair")
    texts = [text.strip() for text, _answer in pairs]
    if len(set(texts)) != len(texts):
        problems.append("two pairs have the same text")
    unknown = sorted({answer for _text, answer in pairs} - set(option_keys))
    if unknown:
        problems.append(f"no choice has the key {', '.join(unknown)}")
    answers = [answer for _text, answer in pairs]
    if not reuse_options and len(set(answers)) != len(answers):
        problems.append("two pairs have the same answer (set reuse_options to allow it)")
    return problems


class QuestionVersion(models.Model):
    """What a question said when learners answered it: prompt, choices, which were right,
    feedback and explanation. Never changed once made: an edit that changes any of these
    makes the next version (quizzes/versions.py), and answers keep the one they were
    given."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Question.KINDS)
    reuse_options = models.BooleanField(default=False)
    prompt = models.TextField()
    prompt_html = models.TextField()
    explanation = models.TextField()
    explanation_html = models.TextField()
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        # Ordered by the column, not the question's own ordering: no joins in prefetches.
        ordering = ["question_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"Version {self.number}: {plain_text(self.prompt_html, limit=60)}"

    @property
    def is_multiple(self):
        return self.kind == Question.MULTIPLE

    @property
    def in_parts(self):
        """Answered in parts (pairs or places), each right or wrong."""
        return self.kind not in Question.CHOICE_KINDS


class VersionChoice(models.Model):
    """A choice as one version of its question offered it."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    correct = models.BooleanField()
    feedback = models.TextField()
    feedback_html = models.TextField()

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_version_choice_key")
        ]

    def __str__(self):
        return self.text


class VersionPair(models.Model):
    """A match question's prompt as one version of the question asked it."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="pairs")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    answer_key = models.SlugField(max_length=60)
    feedback_html = models.TextField()
    feedback = models.TextField()

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_version_pair_key")
        ]

    def __str__(self):
        return self.text


class Attempt(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField()
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Percent.")
    passed = models.BooleanField(null=True, blank=True)
    abandoned = models.BooleanField(
        default=False,
        help_text="Left unfinished when two learners merged (an anonymous visitor signing "
        "in) and both had an attempt open; kept for the history.",
    )
    # {question id: [ids of its version's VersionChoice rows, in the order this attempt
    # shows them]}
    choice_order = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Two tabs starting the same quiz share one attempt.
            models.UniqueConstraint(
                fields=["learner", "quiz"],
                condition=Q(finished_at__isnull=True, abandoned=False),
                name="one_unfinished_attempt_per_quiz",
            )
        ]
        indexes = [models.Index(fields=["learner", "quiz", "finished_at"])]

    def __str__(self):
        return f"{self.learner} on {self.quiz}"

    def get_absolute_url(self):
        if self.is_finished:
            return reverse("quizzes:results", args=[self.pk])
        return reverse("quizzes:attempt", args=[self.pk])

    @property
    def is_finished(self):
        return self.finished_at is not None


class Answer(models.Model):
    """A learner's answer to one question of an attempt: created empty with the attempt,
    locked when answered."""

    SURE = "sure"
    GUESSING = "guessing"
    CONFIDENCE = [(SURE, "I'm sure"), (GUESSING, "I'm guessing")]

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    chosen = models.ManyToManyField(VersionChoice, related_name="answers", blank=True)
    correct = models.BooleanField(null=True, blank=True)
    # Match and order questions: how many of the answer's parts were right, of how many.
    parts_right = models.PositiveSmallIntegerField(null=True, blank=True)
    part_count = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence = models.CharField(max_length=8, choices=CONFIDENCE, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question"),
            models.UniqueConstraint(fields=["attempt", "position"], name="one_answer_per_position"),
        ]

    def __str__(self):
        return f"{self.attempt} Q{self.position}"

    @property
    def is_locked(self):
        return self.answered_at is not None


class ReviewItem(models.Model):
    """A key takeaway in a learner's review queue, brought back after spaced intervals."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="review_items")
    takeaway = models.ForeignKey(KeyTakeaway, on_delete=models.CASCADE, related_name="review_items")
    step = models.PositiveSmallIntegerField(
        default=0, help_text="Index into the review intervals (1, 3, 7, 21 days)."
    )
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty when nothing is scheduled."
    )
    retained = models.BooleanField(default=False)
    ever_missed = models.BooleanField(default=False)
    last_question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The question last missed or guessed; reviews pick another one.",
    )
    reviews = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "takeaway"], name="one_item_per_takeaway")
        ]
        indexes = [models.Index(fields=["learner", "due_at"])]

    def __str__(self):
        return f"{self.learner}: {self.takeaway}"


class ReviewAnswer(models.Model):
    """An answer given on the Review page; it never counts towards a quiz score."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="review_answers"
    )
    step = models.PositiveSmallIntegerField(help_text="The step the item was at.")
    chosen = models.ManyToManyField(VersionChoice, related_name="review_answers", blank=True)
    correct = models.BooleanField()
    confidence = models.CharField(max_length=8, choices=Answer.CONFIDENCE, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at"]

    def __str__(self):
        return f"{self.item} at step {self.step}"


class AnswerPart(models.Model):
    """One part of an answer to a match or order question: the option given for a prompt
    (`key` a pair's key, `given` an option's key), or the place given to an item (`key` the
    item's key, `given` its place, from 1). Item analysis counts them."""

    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    review_answer = models.ForeignKey(
        ReviewAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    key = models.SlugField(max_length=60)
    given = models.CharField(max_length=60)
    right = models.BooleanField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=False, review_answer__isnull=True)
                | Q(answer__isnull=True, review_answer__isnull=False),
                name="part_of_one_answer",
            )
        ]

    def __str__(self):
        return f"{self.key}: {self.given}"


def new_record_token() -> str:
    """An unguessable address for a completion record (32 characters, 192 random bits)."""
    return secrets.token_urlsafe(24)


class CompletionRecord(models.Model):
    """A learner's record of completing the course, made once, the first time the course
    is complete. Anyone with its address sees it (see quizzes/completion.py)."""

    learner = models.OneToOneField(
        Learner, on_delete=models.CASCADE, related_name="completion_record"
    )
    token = models.CharField(max_length=43, unique=True, default=new_record_token, editable=False)
    completed_at = models.DateTimeField(help_text="When the last section became complete.")

    def __str__(self):
        return f"{self.learner} completed the course"

    def get_absolute_url(self):
        return reverse("quizzes:completion_record", args=[self.token])
