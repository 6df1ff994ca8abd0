import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.audit.models import AuditEvent
from confide.intake.models import IntakeResponse, Questionnaire
from confide.matching import services
from confide.matching.factors import Needs
from confide.matching.models import CareRelationship, ChangeRequest
from confide.privacy.models import Restriction
from tests.counselors.builders import make_counselor
from tests.factories import make_user


def give_intake(
    client, *, reasons=("anxiety",), languages=("es",), country="ES", region="", gender="any"
):
    from confide.intake.engine import ensure_definitions

    ensure_definitions()

    def save(key, answers):
        q = Questionnaire.objects.get(key=key)
        IntakeResponse.objects.create(client=client, questionnaire=q, answers=answers, result={})

    save("intake_reason", {"reason": list(reasons), "danger": "no"})
    save(
        "intake_preferences",
        {"pref_language": list(languages), "pref_gender": gender, "pref_session": "any"},
    )
    save("intake_location", {"country": country, "region": region})


@pytest.mark.promise("INTAKE-2")
def test_hard_filters_exclude_every_ineligible_counselor(client_user):
    give_intake(client_user, reasons=("anxiety",), languages=("es",))
    good = make_counselor(name="Good")
    make_counselor(name="Unverified", verified=False)
    make_counselor(name="Expired", expires_in_days=-1)
    make_counselor(name="Wrong place", jurisdictions=("SE",))
    make_counselor(name="Wrong language", languages=("sv",))
    make_counselor(name="Not accepting", accepting=False)
    full = make_counselor(name="Full", capacity=1)
    CareRelationship.objects.create(client=make_user("client"), counselor=full.user)
    found = services.suggest(client_user)
    assert [s.display_name for s in found] == ["Good"]
    assert "speaks Spanish" in found[0].reasons
    assert "specialises in anxiety" in found[0].reasons
    assert good.user_id == found[0].counselor_id


@pytest.mark.promise("INTAKE-2")
def test_us_licence_must_cover_the_clients_state(client_user):
    give_intake(client_user, languages=("en",), country="US", region="ny")
    make_counselor(name="California", languages=("en",), jurisdictions=("US-CA",))
    make_counselor(name="New York", languages=("en",), jurisdictions=("US-NY",))
    assert [s.display_name for s in services.suggest(client_user)] == ["New York"]


@pytest.mark.promise("INTAKE-2")
def test_scores_prefer_specialty_and_gender_then_spread_load(client_user):
    give_intake(client_user, reasons=("grief",), gender="woman")
    make_counselor(name="Anxiety man", specialties=("anxiety",), gender="man")
    make_counselor(name="Grief woman", specialties=("grief",), gender="woman")
    make_counselor(name="Grief man", specialties=("grief",), gender="man")
    names = [s.display_name for s in services.suggest(client_user)]
    assert names == ["Grief woman", "Grief man", "Anxiety man"]
    # Load balancing: of two equal counselors, the one with more room comes first.
    busy = make_counselor(name="Busy twin", specialties=("grief",), gender="woman", capacity=4)
    idle = make_counselor(name="Idle twin", specialties=("grief",), gender="woman", capacity=4)
    for _ in range(3):
        CareRelationship.objects.create(client=make_user("client"), counselor=busy.user)
    names = [s.display_name for s in services.suggest(client_user)]
    assert names.index(idle.display_name) < names.index(busy.display_name)


@pytest.mark.promise("INTAKE-2")
def test_query_count_does_not_grow_with_counselors(client_user):
    give_intake(client_user)
    for i in range(3):
        make_counselor(name=f"A{i}")
    with CaptureQueriesContext(connection) as few:
        services.suggest(client_user)
    for i in range(12):
        make_counselor(name=f"B{i}", specialties=("anxiety", "grief"))
    with CaptureQueriesContext(connection) as many:
        services.suggest(client_user)
    assert len(few) == len(many)


@pytest.mark.promise("INTAKE-2")
@pytest.mark.promise("CARE-1")
def test_choose_creates_care_and_change_hides_reason_from_old_counselor(
    client_user, django_capture_on_commit_callbacks
):
    give_intake(client_user)
    first = make_counselor(name="First")
    second = make_counselor(name="Second")
    with django_capture_on_commit_callbacks(execute=True):
        care = services.choose(client_user, first.user_id)
    assert care.is_active and care.counselor_id == first.user_id
    assert mail.outbox[-1].to == [first.user.email]
    assert [s.display_name for s in services.suggest(client_user)] == ["Second"]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_change(client_user, "They kept being late to sessions")
    care.refresh_from_db()
    assert care.ended_at is not None
    assert mail.outbox[-1].to == [first.user.email]
    assert "late" not in mail.outbox[-1].body
    change = ChangeRequest.objects.get()
    assert change.reason == "They kept being late to sessions"
    event = AuditEvent.objects.get(action="matching.change_requested")
    assert "late" not in event.reason and event.details == {"with_reason": True}
    assert [s.display_name for s in services.suggest(client_user)] == ["Second"]
    services.choose(client_user, second.user_id)
    assert CareRelationship.objects.filter(client=client_user, ended_at__isnull=True).count() == 1


def test_choosing_an_ineligible_counselor_is_refused(client_user):
    give_intake(client_user)
    hidden = make_counselor(name="Unverified", verified=False)
    with pytest.raises(ValidationError):
        services.choose(client_user, hidden.user_id)
    assert not CareRelationship.objects.exists()


@pytest.mark.promise("INTAKE-2")
def test_restricted_client_is_not_matched(client_user, client):
    give_intake(client_user)
    make_counselor()
    Restriction.objects.create(user=client_user)
    with pytest.raises(services.MatchingRestricted):
        services.suggest(client_user)
    client.force_login(client_user)
    assert client.get("/matching/").status_code == 403


COUNTRIES = st.sampled_from(["ES", "SE", "US-NY", "US-CA", "AL"])
LANGS = st.sampled_from(["es", "en", "sv", "sq"])
COUNSELOR = st.fixed_dictionaries(
    {
        "verified": st.booleans(),
        "expires_in_days": st.integers(min_value=-30, max_value=60),
        "jurisdictions": st.lists(COUNTRIES, min_size=1, max_size=2, unique=True).map(tuple),
        "languages": st.lists(LANGS, min_size=1, max_size=2, unique=True).map(tuple),
        "capacity": st.integers(min_value=0, max_value=2),
        "load": st.integers(min_value=0, max_value=2),
        "accepting": st.booleans(),
    }
)


@pytest.mark.promise("INTAKE-2")
@pytest.mark.promise("INTAKE-4")
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pool=st.lists(COUNSELOR, min_size=1, max_size=6),
    place=COUNTRIES,
    language=LANGS,
)
def test_property_never_suggests_unverified_unlicensed_or_full(db, pool, place, language):
    from confide.accounts.models import User
    from confide.counselors.models import CounselorProfile

    CareRelationship.objects.all().delete()
    CounselorProfile.objects.all().delete()
    clients = list(User.objects.filter(email__startswith="load-"))
    while len(clients) < 12:
        clients.append(User.objects.create_user(email=f"load-{len(clients)}@example.test"))
    profiles = []
    for spec in pool:
        spec = dict(spec)
        load = spec.pop("load")
        profile = make_counselor(light=True, **spec)
        for _ in range(load):
            CareRelationship.objects.create(client=clients.pop(), counselor=profile.user)
        profiles.append((profile, spec, load))
    country, _sep, region = place.partition("-")
    needs = Needs(client_id=0, languages=(language,), country=country, region=region)
    suggested = {s.profile_id for s in services.ranked(needs, limit=10)}
    for profile, spec, load in profiles:
        eligible = (
            spec["verified"]
            and spec["expires_in_days"] >= 0
            and spec["accepting"]
            and load < spec["capacity"]
            and (country in spec["jurisdictions"] or place in spec["jurisdictions"])
            and language in spec["languages"]
        )
        assert (profile.pk in suggested) == eligible, (spec, load, place, language)


@pytest.mark.promise("INTAKE-2")
def test_availability_at_preferred_times_counts_through_scheduling(client_user):
    from datetime import time

    from confide.scheduling.models import WeeklyHours

    give_intake(client_user)
    prefs = IntakeResponse.objects.get(client=client_user, questionnaire__key="intake_preferences")
    prefs.answers = {**prefs.answers, "pref_times": ["evening"]}
    prefs.save()
    mornings = make_counselor(name="Mornings")
    evenings = make_counselor(name="Evenings")
    for profile, start, end in ((mornings, time(8), time(12)), (evenings, time(17), time(21))):
        WeeklyHours.objects.bulk_create(
            [
                WeeklyHours(
                    counselor=profile.user,
                    weekday=d,
                    start_time=start,
                    end_time=end,
                    timezone="Europe/Madrid",
                )
                for d in range(7)
            ]
        )
    found = services.suggest(client_user)
    assert [s.display_name for s in found] == ["Evenings", "Mornings"]
    assert "has free times that suit you in the next two weeks" in found[0].reasons
    assert "has free times that suit you in the next two weeks" not in found[1].reasons


@pytest.mark.promise("INTAKE-2")
def test_asking_for_others_hides_the_ones_already_shown(client, client_user):
    give_intake(client_user)
    names = [f"Counselor {letter}" for letter in "ABCDE"]
    for name in names:
        make_counselor(name=name)
    client.force_login(client_user)
    first = services.suggest(client_user)
    assert len(first) == 3
    shown = [str(s.counselor_id) for s in first]
    assert client.post("/matching/", {"shown": shown}).status_code == 302
    page = client.get("/matching/").content.decode()
    for suggestion in first:
        assert suggestion.display_name not in page
    assert page.count('data-testid="suggestion"') == 2
    response = client.post("/matching/choose/", {"counselor": shown[0]})
    assert response.status_code == 302
    assert CareRelationship.objects.get(client=client_user).counselor_id == int(shown[0])
    assert client.post("/matching/choose/", {"counselor": "abc"}).status_code == 302
