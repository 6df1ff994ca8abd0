from django.apps import AppConfig


class CounselorsConfig(AppConfig):
    name = "confide.counselors"
    label = "counselors"
    default_auto_field = "django.db.models.BigAutoField"
