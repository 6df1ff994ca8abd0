"""Every page of counselors, intake and matching renders for its role in all four languages."""

import pytest

from tests.counselors.builders import make_counselor
from tests.counselors.test_onboarding import application_data
from tests.matching.test_matching import give_intake

LANGS = ["en", "es", "sv", "sq"]


@pytest.mark.promise("ROLE-1")
@pytest.mark.parametrize("language", LANGS)
def test_pages_render_for_their_roles(client, client_user, counselor, staff_user, care, language):
    from confide.counselors.models import CounselorApplication

    give_intake(client_user)
    profile = make_counselor(name="Visible Counselor")
    application = CounselorApplication.objects.create(user=counselor, **application_data())
    pages = {
        None: [
            "/intake/",
            "/intake/step/phq9/",
            "/intake/crisis/?next=/intake/done/",
            "/intake/done/",
            "/counselors/apply/",
            f"/counselors/{profile.pk}/",
        ],
        client_user: [
            "/matching/",
            "/matching/mine/",
            "/intake/done/",
            "/intake/step/intake_reason/",
        ],
        counselor: [
            "/matching/clients/",
            f"/matching/clients/{client_user.pk}/",
            "/counselors/application/",
            "/counselors/profile/edit/",
        ],
        staff_user: [
            "/counselors/review/",
            f"/counselors/review/{application.pk}/",
            f"/matching/clients/{client_user.pk}/",
        ],
    }
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (user, url, response.status_code)
            assert f'lang="{language}"' in response.content.decode()
