from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "confide.sessions"
    label = "therapy_sessions"
    default_auto_field = "django.db.models.BigAutoField"
