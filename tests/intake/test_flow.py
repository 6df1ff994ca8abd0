import pytest
from django.core import mail
from django.db import connection

from confide.intake.models import CrisisFlag, IntakeEvent, IntakeResponse
from tests.factories import PASSWORD, make_user

REASON = {"reason": ["anxiety", "sleep"], "danger": "no"}
PREFS = {"pref_language": ["sv"], "pref_gender": "woman", "pref_session": "video"}
LOCATION = {"country": "SE", "region": ""}
PHQ = {f"phq9_{i}": "1" for i in range(1, 10)} | {"phq9_9": "0"}
GAD = {f"gad7_{i}": "2" for i in range(1, 8)}


def walk(client, phq=PHQ):
    client.post("/intake/start/")
    for key, data in [
        ("intake_reason", REASON),
        ("intake_preferences", PREFS),
        ("intake_location", LOCATION),
        ("phq9", phq),
        ("gad7", GAD),
    ]:
        response = client.post(f"/intake/step/{key}/", data)
        assert response.status_code == 302, (key, response.content[:500])
    return response


@pytest.mark.promise("INTAKE-1")
def test_visitor_answers_follow_into_account_encrypted_and_events_have_no_content(client, db):
    last = walk(client)
    assert last["Location"] == "/intake/done/"
    assert IntakeResponse.objects.count() == 0  # still only in the sealed visitor record
    kinds = set(IntakeEvent.objects.values_list("kind", flat=True))
    assert kinds == {"started", "answered", "finished"}
    assert IntakeEvent.objects.filter(user__isnull=True).count() == 3
    user = make_user("client", email="new@example.test")
    assert client.login(email=user.email, password=PASSWORD)
    assert IntakeResponse.objects.filter(client=user).count() == 5
    assert IntakeEvent.objects.filter(user=user).count() == 3
    phq = IntakeResponse.objects.get(client=user, questionnaire__key="phq9")
    assert phq.result == {"score": 8, "band": "mild"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM intake_intakeresponse")
        stored = b"".join(bytes(row[0]) for row in cursor.fetchall())
    assert b"anxiety" not in stored and b"phq9_1" not in stored
    event_columns = {f.name for f in IntakeEvent._meta.concrete_fields}
    assert event_columns == {"id", "kind", "visitor", "user", "at"}
    response = client.get("/intake/done/")
    assert "8" in response.content.decode()


@pytest.mark.promise("INTAKE-1")
def test_crisis_resources_shown_at_once_and_continuing_is_never_blocked(client, db):
    client.post("/intake/start/")
    response = client.post(
        "/intake/step/intake_reason/",
        {"reason": ["grief"], "danger": "yes"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/intake/crisis/?next=/intake/step/intake_preferences/")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "024" in page and "112" in page  # preset eu_es, country not given yet
    assert 'href="/intake/step/intake_preferences/"' in page


def test_crisis_lines_follow_the_country_given(client, db):
    client.post("/intake/start/")
    client.post("/intake/step/intake_location/", LOCATION)
    page = client.get("/intake/crisis/?next=/intake/done/").content.decode()
    assert "90101" in page and "024" not in page


@pytest.mark.promise("INTAKE-1")
def test_signed_in_positive_item_nine_flags_case_for_assigned_counselor(
    client, client_user, counselor, care, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/intake/step/phq9/", PHQ | {"phq9_9": "2"})
    assert response["Location"].startswith("/intake/crisis/")
    flag = CrisisFlag.objects.get(client=client_user)
    assert flag.source == "phq9_item9"
    assert mail.outbox[-1].to == [counselor.email]
    assert "phq9" not in mail.outbox[-1].body.lower()
    client.force_login(counselor)
    page = client.get("/matching/clients/").content.decode()
    assert "badge" in page


def test_bad_input_is_refused_without_saving(client, client_user):
    client.force_login(client_user)
    response = client.post("/intake/step/phq9/", {"phq9_1": "9"})
    assert response.status_code == 200
    assert IntakeResponse.objects.count() == 0
    assert client.get("/intake/step/unknown/").status_code == 404
