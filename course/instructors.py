"""Instructors: staff accounts in the "Instructors" group.

The group and its permissions come from a data migration (course/migrations/0002): its
members edit the course (sections, takeaways, quizzes, questions, choices) and read how
learners do (attempts, responses, progress), and nothing about accounts or groups.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

INSTRUCTORS_GROUP = "Instructors"


def make_instructor(username, *, password=None, email=""):
    """Create a staff account in the Instructors group, or move an existing account into it.

    A new account needs a password; it is checked by the site's password validators
    (ValidationError when refused). An existing account keeps its password unless one
    is given.
    """
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, email=email)
    if password is None and user.pk is None:
        raise ValueError("A new instructor account needs a password.")
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    user.is_staff = True
    with transaction.atomic():
        user.save()
        user.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    return user
