"""The site menu's Review link and how many reviews are due for the learner today."""

from django import template

from quizzes.learners import current_learner
from quizzes.review import due_items

register = template.Library()


@register.inclusion_tag("includes/review_link.html", takes_context=True)
def review_link(context, *, out_of_band=False):
    """No query: the count comes with the learner (`current_learner`), and a visitor
    without one has none, so shared cached pages stay shared. `out_of_band`: a copy that
    replaces the menu's link when htmx swaps a review card, counted again so that it
    follows the reviews answered."""
    request = context.get("request")
    learner = current_learner(request) if request is not None else None
    if learner is None:
        due = 0
    elif out_of_band:
        due = due_items(learner).count()
    else:
        due = learner.reviews_due
    return {"due": due, "out_of_band": out_of_band}
