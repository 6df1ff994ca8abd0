from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ConsentConfig(AppConfig):
    name = "confide.privacy.consent"
    label = "consent"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.privacy import registry
        from confide.privacy.consent.integrations import recipients
        from confide.privacy.consent.tracking import forget
        from confide.privacy.models import Objection, Restriction

        registry.register_recipients(recipients)
        # A restriction or objection stops page analytics on the very next page view.
        for model in (Restriction, Objection):
            post_save.connect(forget, sender=model, dispatch_uid=f"consent-forget-{model.__name__}")
            post_delete.connect(
                forget, sender=model, dispatch_uid=f"consent-forget-del-{model.__name__}"
            )
