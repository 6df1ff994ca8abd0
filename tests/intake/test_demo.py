import pytest

from confide.accounts import demo as accounts_demo
from confide.counselors import demo as counselors_demo
from confide.intake import demo
from confide.intake.models import IntakeResponse
from confide.matching import services


@pytest.mark.django_db
def test_demo_client_gets_intake_answers_once_and_reasoned_suggestions():
    accounts_demo.seed()
    counselors_demo.seed()
    demo.seed()
    demo.seed()
    client = IntakeResponse.objects.first().client
    assert IntakeResponse.objects.filter(client=client).count() == 5
    found = services.suggest(client)
    assert len(found) == 3 and all(s.reasons for s in found)
