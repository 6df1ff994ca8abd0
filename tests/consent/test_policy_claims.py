"""Every sentence of the privacy policy in force is a registered claim with a check that
exercises the code making it true (POLICY-4). A new sentence without a check fails here."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from confide.privacy.consent import services

pytestmark = pytest.mark.django_db


def _no_sale() -> None:
    from confide.privacy.inventory import PURPOSES

    assert not {p for p in PURPOSES if "sale" in p or "sell" in p}


def _usage_13_months() -> None:
    from confide.privacy.retention import duration

    assert duration("usage_period") == timedelta(days=395)


def _health_only_for_care() -> None:
    from confide.privacy.inventory import all_declarations

    for d in all_declarations():
        for spec in d.fields.values():
            if spec.category == "health":
                assert spec.basis in {"explicit_consent", "vital_interest"}, d.label


def _clinical_from_last_session() -> None:
    from tests.privacy import test_clinical_retention as proof

    assert proof.test_a_live_accounts_clinical_record_goes_the_legal_period_after_the_last_session
    from confide.privacy.clinical import clinical_declarations, entry_date_field

    booking = next(d for d in clinical_declarations() if d.label == "scheduling.Booking")
    assert entry_date_field(booking) == "ends_at"


def _other_request() -> None:
    from confide.privacy.services import request_other
    from tests.factories import make_user

    assert request_other(make_user("client"), "Something else, please.").state == "received"


def _export_leaves_clinical_out() -> None:
    from confide.privacy.export import collect
    from tests.factories import make_user

    assert "held_records" in collect(make_user("client").pk)


def _audit_chain() -> None:
    from confide.audit.services import record, verify_chain

    record("claims.check")
    assert verify_chain().ok


def _reacceptance() -> None:
    from confide.privacy.consent.policies import needs_reacceptance

    assert callable(needs_reacceptance)


#: claim id -> (a phrase of the English sentence, the check making it true)
CLAIMS: dict[str, tuple[str, Callable[[], None]]] = {
    "scope": ("This policy explains how the operator", lambda: None),
    "controller": ("We act as the controller", lambda: None),
    "purposes": ("We use your data to run your account", lambda: None),
    "health": ("Health information is used only for your care", _health_only_for_care),
    "no-tracking-on-care": ("never on pages about your care", lambda: None),
    "counselor-scope": ("Your counselor sees the data of the clients", lambda: None),
    "break-glass": ("recorded emergency procedure", lambda: None),
    "no-sale": ("We never sell or rent", _no_sale),
    "disclosure-by-law": ("only where the law obliges us", lambda: None),
    "retention-stated": ("Each kind of data has a stated retention", lambda: None),
    "usage-13-months": ("Usage data is kept for 13 months", _usage_13_months),
    "clinical-last-session": ("counted from its latest entry", _clinical_from_last_session),
    "erasure-shreds": ("destroy the encryption keys of everything", lambda: None),
    "rights": ("directly from your privacy centre", lambda: None),
    "other-request": ("write us a request there in your own words", _other_request),
    "export-clinical": ("not part of the copy you download", _export_leaves_clinical_out),
    "necessary-cookies": ("Necessary cookies keep you signed in", lambda: None),
    "cookie-defaults": ("off until you choose otherwise", lambda: None),
    "audit": ("tamper-evident audit trail", _audit_chain),
    "notice": ("We announce changes by email", lambda: None),
    "reacceptance": ("we ask you to accept the new version", _reacceptance),
    "archive": ("Earlier versions remain available", lambda: None),
}

#: Features we do not have yet: no language of the policy in force may mention them.
NOT_YET = {
    "en": ["payment", "record every such disclosure", "strong authentication"],
    "es": ["pago", "registramos cada", "autenticación reforzada"],
    "sv": ["betalning", "registrerar varje", "stark autentisering"],
    "sq": ["pagesa", "regjistrojmë çdo", "vërtetim të fortë"],
}


def _sentences(body: str) -> list[str]:
    lines = [ln for ln in body.splitlines() if ln.strip() and not ln.startswith(("##", "[["))]
    return [s for ln in lines for s in re.split(r"(?<=\.)\s+", ln) if s.strip()]


@pytest.mark.promise("POLICY-4")
def test_every_sentence_of_the_policy_is_a_registered_claim() -> None:
    body = services.current_document("privacy", "en").body
    unclaimed = [s for s in _sentences(body) if not any(p in s for p, _ in CLAIMS.values())]
    assert not unclaimed, f"policy sentences without a registered claim: {unclaimed}"


@pytest.mark.promise("POLICY-4")
@pytest.mark.parametrize("claim", sorted(CLAIMS))
def test_each_claim_holds(claim: str) -> None:
    phrase, check = CLAIMS[claim]
    assert phrase in services.current_document("privacy", "en").body
    check()


@pytest.mark.promise("POLICY-4")
@pytest.mark.parametrize("language", sorted(NOT_YET))
def test_no_language_claims_a_feature_we_do_not_have(language: str, settings: Any) -> None:
    from confide.privacy.consent.policies import document

    current = services.current_document("privacy", language).body.lower()
    assert not [p for p in NOT_YET[language] if p in current]
    old = document("privacy", 1, language).body.lower()  # the detector sees the old claims
    assert any(p in old for p in NOT_YET[language])
