import pytest

from confide.accounts import demo as accounts_demo
from confide.counselors import demo
from confide.counselors.models import ApplicationStatus, CounselorApplication, ProfileTag
from confide.counselors.services import listable_profiles


@pytest.mark.django_db
def test_demo_counselors_are_verified_multilingual_and_idempotent():
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    listed = listable_profiles()
    assert listed.count() == len(demo.COUNSELORS)
    languages = set(ProfileTag.objects.filter(kind="language").values_list("code", flat=True))
    assert {"es", "en", "sv", "sq"} <= languages
    assert CounselorApplication.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 1
