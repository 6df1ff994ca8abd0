"""Model field labels reach people (forms, the profile page, the admin): each is a translatable
verbose_name, never Django's made-up English from the attribute name ("Blocked reason")."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise

#: Apps whose fields are labelled. Every app of ours belongs here; the rest are still to do.
LABELLED_APPS = {"accounts", "privacy", "messaging"}


def test_every_field_of_a_labelled_app_has_a_translated_verbose_name() -> None:
    unlabelled = []
    for model in apps.get_models():
        if model._meta.app_label not in LABELLED_APPS:
            continue
        for field in model._meta.get_fields():
            if field.auto_created:
                continue  # implicit ids; reverse relations are labelled on the other side
            if not isinstance(getattr(field, "verbose_name", None), Promise):
                unlabelled.append(f"{model._meta.label}.{field.name}")
    assert not unlabelled, unlabelled
