from typing import Any

import pytest

from tests.factories import make_user


@pytest.mark.promise("RIGHTS-7")
@pytest.mark.django_db
def test_privacy_centre_lists_consents_with_their_way_out(client: Any) -> None:
    client.force_login(make_user("client"))
    html = client.get("/privacy/").content.decode()
    assert "Your consents" in html
    assert 'href="/consent/cookies/"' in html
