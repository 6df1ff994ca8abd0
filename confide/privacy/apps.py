from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "confide.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.privacy import checks  # noqa: F401  (registers the inventory check)
