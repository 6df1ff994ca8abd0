from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.privacy.inventory import PURPOSES
from confide.privacy.processing import may_process
from confide.privacy.services import set_objection, set_restriction

pytestmark = pytest.mark.django_db


@pytest.mark.promise("RIGHTS-4")
@pytest.mark.parametrize("purpose", sorted(PURPOSES))
def test_restriction_blocks_every_purpose_until_lifted(client_user: Any, purpose: str) -> None:
    assert may_process(client_user.pk, purpose)
    set_restriction(client_user, True)
    assert not may_process(client_user.pk, purpose)
    set_restriction(client_user, False)
    assert may_process(client_user.pk, purpose)


@pytest.mark.promise("RIGHTS-5")
def test_objection_turns_analytics_off_for_this_person_only(
    client_user: Any, stranger: Any
) -> None:
    set_objection(client_user, "analytics", True)
    assert not may_process(client_user.pk, "analytics")
    assert may_process(client_user.pk, "care")
    assert may_process(stranger.pk, "analytics")
    with pytest.raises(ValueError):
        set_objection(client_user, "care", True)  # not based on legitimate interest


@pytest.mark.promise("RIGHTS-4")
def test_restriction_blocks_new_bookings(care: Any) -> None:
    from confide.scheduling.services import BookingRefused, book

    set_restriction(care.client, True)
    with pytest.raises(BookingRefused):
        book(care.client, timezone.now() + timedelta(days=3))


@pytest.mark.promise("RIGHTS-4")
def test_restriction_blocks_matching(client_user: Any) -> None:
    from confide.matching.services import MatchingRestricted, choose, suggest

    set_restriction(client_user, True)
    with pytest.raises(MatchingRestricted):
        suggest(client_user)
    with pytest.raises(MatchingRestricted):
        choose(client_user, 1)


@pytest.mark.promise("RIGHTS-4")
@pytest.mark.promise("RIGHTS-5")
def test_restriction_and_objection_block_marketing(client_user: Any, monkeypatch: Any) -> None:
    from confide.privacy.consent import marketing

    monkeypatch.setattr(marketing, "has_marketing_grant", lambda user_id: True)
    assert marketing.may_market_to(client_user.pk)
    set_restriction(client_user, True)
    assert not marketing.may_market_to(client_user.pk)


@pytest.mark.promise("RIGHTS-4")
@pytest.mark.promise("RIGHTS-5")
@pytest.mark.parametrize("how", ["restrict", "object"])
def test_restriction_and_objection_block_analytics(client_user: Any, how: str) -> None:
    import inspect

    from confide.privacy.consent.analytics import services as analytics

    if how == "restrict":
        set_restriction(client_user, True)
    else:
        set_objection(client_user, "analytics", True)
    params = inspect.signature(analytics.record_beacon).parameters
    args = {
        "payload": {"t": "view", "p": "/"},
        "user_id": client_user.pk,
        "analytics_consent": True,
        "remote_addr": "127.0.0.1",
        "user_agent": "test",
        "own_host": "testserver",
    }
    assert analytics.record_beacon(**{k: v for k, v in args.items() if k in params}) is False
