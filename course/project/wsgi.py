"""The WSGI entry point gunicorn serves (`gunicorn course.project.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.project.settings")

application = get_wsgi_application()
