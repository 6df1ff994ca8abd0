"""Restriction (RIGHTS-4) in messaging: the conversation continues because the client asks for
it, and the privacy centre says so (the honest text is the proof that nothing is hidden)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from confide.messaging import services
from confide.privacy.services import set_restriction

pytestmark = pytest.mark.django_db


@pytest.mark.promise("RIGHTS-4")
def test_a_restricted_client_keeps_the_conversation_and_the_centre_says_why(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    services.ensure_conversations(client_user)
    convo = services.conversations_for(client_user).get()
    set_restriction(client_user, True)
    services.send_message(client_user, convo, "still here")
    services.send_message(counselor, convo, "so am I")
    client.force_login(client_user)
    html = client.get(reverse("privacy:centre")).content.decode()
    assert 'id="restriction-continues"' in html
    assert "your conversation with your counselor" in html
    assert "GDPR Art. 18(2)" in html
