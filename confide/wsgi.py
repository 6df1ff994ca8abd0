"""WSGI entry point: production serves plain HTTP through gunicorn (see docs/deployment.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.settings")
application = get_wsgi_application()
