"""Data for two subjects across the declared models, for erasure and export tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from tests.factories import make_user


def seed(user: Any, counselor: Any, marker: str) -> dict[str, int]:
    """Create rows about ``user`` in every model we know how to build; returns counts by label."""
    from confide.matching.models import CareRelationship
    from confide.privacy.models import Objection, Restriction
    from confide.privacy.services import open_request
    from confide.scheduling.models import Booking

    made: dict[str, int] = {}
    user.nickname = f"nick-{user.pk}"
    user.first_name = f"first-{user.pk}"
    user.phone = "+34600000000"
    user.save()
    care = CareRelationship.objects.create(client=user, counselor=counselor)
    made["matching.CareRelationship"] = 1
    # Each subject's session at its own hour: PostgreSQL refuses overlapping bookings.
    start = timezone.now() + timedelta(days=1, hours=2 * (user.pk % 100))
    Booking.objects.create(
        client=user, counselor=counselor, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    made["scheduling.Booking"] = 1
    Objection.objects.create(user=user, purpose="analytics")
    made["privacy.Objection"] = 1
    Restriction.objects.create(user=user)
    made["privacy.Restriction"] = 1
    open_request(user, "export")
    made["privacy.RightsRequest"] = 1
    if apps.is_installed("confide.messaging"):
        from confide.messaging.models import Conversation, Message

        conversation = Conversation.objects.create(care=care, client=user, counselor=counselor)
        Message.objects.create(conversation=conversation, sender=user, body=f"body-{marker}")
        made["messaging.Conversation"] = 1
        made["messaging.Message"] = 1
    return made


def two_subjects(marker_a: str = "AAA", marker_b: str = "BBB") -> tuple[Any, Any, Any]:
    # No passwords: hashing is the slowest part of making a user, and nobody signs in here.
    counselor = make_user(
        "counselor", passkey=True, first_name="Cora", last_name="Nsel", password=None
    )
    a = make_user("client", password=None)
    b = make_user("client", password=None)
    seed_everything(a, counselor, marker_a)
    seed_everything(b, counselor, marker_b)
    return a, b, counselor


def _dummy(field: Any, user: Any) -> Any:
    """A plausible value for a required field, or raise LookupError."""
    import uuid as uuidlib
    from datetime import date

    from django.conf import settings
    from django.db import models

    from confide.privacy.fields import EncryptedBytesField, EncryptedField, EncryptedJSONField

    if isinstance(field, EncryptedBytesField):
        return b"seed-bytes"
    if isinstance(field, EncryptedJSONField):
        return {"seed": True}
    if isinstance(field, EncryptedField):
        return f"seed-{user.pk}"
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        if field.related_model._meta.label == settings.AUTH_USER_MODEL:
            return user
        raise LookupError(field.name)
    if isinstance(field, models.UUIDField):
        return uuidlib.uuid4()
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return date.today()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return 1
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.CharField, models.TextField)):
        return f"s{user.pk}"[: field.max_length or 20]
    raise LookupError(field.name)


def generic_seed(declaration: Any, user: Any) -> bool:
    """Try to create one row of a model whose subject is a direct user foreign key."""
    from django.db import transaction

    if declaration.subject in (None, "self") or "__" in declaration.subject:
        return False
    model = declaration.model
    names = {f.name for f in model._meta.concrete_fields}
    if declaration.subject not in names or model._meta.label.startswith("audit."):
        return False
    values: dict[str, Any] = {}
    try:
        for field in model._meta.concrete_fields:
            if field.primary_key and field.has_default():
                continue
            if field.name == declaration.subject:
                values[field.name] = user if field.is_relation else user.pk
            elif (
                field.has_default()
                or field.null
                or getattr(field, "auto_now_add", False)
                or getattr(field, "auto_now", False)
            ) or field.primary_key:
                continue
            else:
                values[field.name] = _dummy(field, user)
        with transaction.atomic():
            model._default_manager.create(**values)
    except Exception:  # a model this generic builder cannot fill: not seeded
        return False
    return True


def seed_everything(user: Any, counselor: Any, marker: str) -> set[str]:
    """``seed`` plus one generic row in every other model that allows it; returns labels seeded."""
    from confide.privacy.inventory import all_declarations

    seeded = set(seed(user, counselor, marker))
    for declaration in all_declarations():
        if declaration.label not in seeded and generic_seed(declaration, user):
            seeded.add(declaration.label)
    return seeded
