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
    now = timezone.now()
    Booking.objects.create(
        client=user,
        counselor=counselor,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
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
    counselor = make_user("counselor", passkey=True, first_name="Cora", last_name="Nsel")
    a = make_user("client")
    b = make_user("client")
    seed(a, counselor, marker_a)
    seed(b, counselor, marker_b)
    return a, b, counselor
