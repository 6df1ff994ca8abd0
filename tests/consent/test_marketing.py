"""Marketing email: opt-in only, one-click unsubscribe without a session (CONSENT-4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.privacy.consent import services
from confide.privacy.consent.marketing import unsubscribe_token
from confide.privacy.consent.models import MarketingGrant
from confide.privacy.models import Objection, Restriction
from tests.factories import make_user

NEWS = {"headline": "Spring update", "text": "New group sessions."}


@pytest.mark.promise("CONSENT-4")
def test_marketing_email_carries_visible_link_and_rfc8058_headers(client_user: Any) -> None:
    services.grant_marketing(client_user, source="signup")
    assert services.send_marketing("consent/email/news", NEWS, [client_user.pk]) == 1
    message = mail.outbox[-1]
    url = services.unsubscribe_url(client_user.pk)
    assert url in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.promise("CONSENT-4")
def test_one_click_post_without_a_session_unsubscribes_idempotently(client_user: Any) -> None:
    services.grant_marketing(client_user, source="signup")
    path = services.unsubscribe_url(client_user.pk).split("://", 1)[1].split("/", 1)[1]
    mail_client = Client(enforce_csrf_checks=True)  # no cookies, no token: like a mail client
    assert mail_client.get(f"/{path}").status_code == 200
    assert services.has_marketing_grant(client_user.pk)  # GET alone (link scanners) changes nothing
    for _ in range(2):
        response = mail_client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    assert not services.has_marketing_grant(client_user.pk)
    assert MarketingGrant.objects.get(user=client_user).withdrawn_via == "one_click"
    mail.outbox.clear()
    assert services.send_marketing("consent/email/news", NEWS, [client_user.pk]) == 0
    assert mail.outbox == []


@pytest.mark.promise("CONSENT-4")
def test_a_forged_token_changes_nothing(client_user: Any) -> None:
    services.grant_marketing(client_user, source="signup")
    forged = unsubscribe_token(client_user.pk)[:-3] + "abc"
    assert Client().post(f"/consent/unsubscribe/{forged}/").status_code == 404
    assert services.has_marketing_grant(client_user.pk)


@pytest.mark.promise("CONSENT-4")
def test_transactional_policy_notices_are_not_marketing(
    client_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # No grant at all, yet the notice of a policy change arrives, without unsubscribe headers.
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(
            services.NewVersion("privacy", {"en": ("Privacy policy", "## New\nText.\n", "")}),
            notice_days=10,
        )
    assert len(mail.outbox) == 1 and "List-Unsubscribe" not in mail.outbox[0].extra_headers


@pytest.mark.promise("CONSENT-4")
@pytest.mark.promise("RIGHTS-7")
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    people=st.lists(
        st.fixed_dictionaries(
            {
                "granted": st.booleans(),
                "withdrawn": st.booleans(),
                "restricted": st.booleans(),
                "objected": st.sampled_from(["", "marketing", "analytics"]),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_marketing_selection_never_picks_anyone_without_a_current_grant(
    db: Any, people: list[dict[str, Any]]
) -> None:
    from django.db import transaction

    with transaction.atomic():
        expected = set()
        for i, spec in enumerate(people):
            user = make_user("client", email=f"p{i}@example.test")
            if spec["granted"]:
                services.grant_marketing(user, source="test")
                if spec["withdrawn"]:
                    services.withdraw_marketing(user.pk, via="test")
            if spec["restricted"]:
                Restriction.objects.create(user=user)
            if spec["objected"]:
                Objection.objects.create(user=user, purpose=spec["objected"])
            if (
                spec["granted"]
                and not spec["withdrawn"]
                and not spec["restricted"]
                and spec["objected"] != "marketing"
            ):
                expected.add(user.pk)
        chosen = set(services.marketing_audience().values_list("pk", flat=True))
        assert chosen == expected
        assert all(services.may_market_to(pk) for pk in chosen)
        transaction.set_rollback(True)


@pytest.mark.promise("CONSENT-4")
def test_the_email_settings_page_starts_unticked_and_changes_the_grant(client_user: Any) -> None:
    browser = Client()
    browser.force_login(client_user)
    page = browser.get("/consent/email/").content.decode()
    assert 'name="subscribed" id="id_subscribed" >' in page  # not pre-ticked
    browser.post("/consent/email/", {"subscribed": "on"})
    grant = MarketingGrant.objects.get(user=client_user)
    assert grant.source == "settings" and grant.withdrawn_at is None
    assert "checked" in browser.get("/consent/email/").content.decode()
    browser.post("/consent/email/", {})
    assert not services.has_marketing_grant(client_user.pk)
