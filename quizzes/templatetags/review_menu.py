"""The site menu's Review link and how many reviews are due for the learner today."""

from django import template

from quizzes.learners import current_learner
from quizzes.review import reviews_due_today

register = template.Library()


@register.inclusion_tag("includes/review_link.html", takes_context=True)
def review_link(context, *, out_of_band=False):
    """A visitor without a learner runs no query: shared cached pages stay shared.
    `out_of_band`: a copy that replaces the menu's link when htmx swaps a review card, so
    the count follows the reviews answered."""
    request = context.get("request")
    learner = current_learner(request) if request is not None else None
    return {"due": reviews_due_today(learner), "out_of_band": out_of_band}
