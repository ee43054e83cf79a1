"""Who is learning: the signed-in user's learner, or the anonymous one in the session."""

from quizzes.models import Learner

SESSION_KEY = "learner_id"


def current_learner(request, *, create=False):
    """The request's learner; None when it has none yet and `create` is not set."""
    if request.user.is_authenticated:
        if create:
            return Learner.objects.get_or_create(user=request.user)[0]
        return Learner.objects.filter(user=request.user).first()
    learner_id = request.session.get(SESSION_KEY)
    if learner_id is not None:
        learner = Learner.objects.filter(pk=learner_id, user=None).first()
        if learner is not None:
            return learner
    if not create:
        return None
    learner = Learner.objects.create()
    request.session[SESSION_KEY] = learner.pk
    return learner
