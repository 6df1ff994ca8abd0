from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "confide.intake"
    label = "intake"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from confide.core.navigation import register_link

        register_link(_("Questionnaire"), "intake:landing", {"client"}, 15)
        user_logged_in.connect(_attach_on_login, dispatch_uid="intake_attach_on_login")
        from django.db.models.signals import post_delete

        from confide.intake.models import VisitorAnswers

        post_delete.connect(_forget_visitor, sender=VisitorAnswers, dispatch_uid="intake_forget")


def _forget_visitor(sender: Any, instance: Any, **kwargs: Any) -> None:
    from confide.intake import services

    services.forget_visitor(instance)


def _attach_on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Answers given before sign-up follow the visitor into their account, encrypted."""
    if request is not None and hasattr(request, "session"):
        from confide.intake import services

        services.attach(request.session, user)
