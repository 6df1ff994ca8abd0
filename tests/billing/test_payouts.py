"""PAY-3: counselor earnings in a double-entry ledger, bank details, statements and payouts."""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from confide.audit.models import AuditEvent
from confide.billing import ledger, payouts, services
from confide.billing.models import AppendOnlyError, LedgerEntry, Payout, PayoutAccount, Transaction
from confide.billing.processors import mark_paid
from confide.billing.stripe_processor import _reversal
from tests.factories import make_user

pytestmark = pytest.mark.django_db
IBAN_ES = "ES9121000418450200051332"
BIC_ES = "CAIXESBBXXX"


@pytest.fixture(autouse=True)
def _debtor(settings: Any) -> None:
    settings.PAYOUT_DEBTOR_NAME = "Confide Operator SL"
    settings.PAYOUT_DEBTOR_IBAN = "DE89370400440532013000"
    settings.PAYOUT_DEBTOR_BIC = "COBADEFFXXX"


def _paid(client: Any, staff: Any, product: str = "session") -> Transaction:
    return mark_paid(staff, services.buy(client, product).pk)


def _sum(entries: Any) -> int:
    return sum(e.amount_minor for e in entries)


@pytest.mark.promise("PAY-3")
@pytest.mark.parametrize("amount", [1, 3, 7, 4501, 99999, 10**9 + 7])
def test_the_split_is_exact_for_odd_amounts(amount: int, settings: Any) -> None:
    settings.PLATFORM_FEE_PERCENT = 30
    fee, earnings = ledger.split(amount)
    assert fee + earnings == amount and fee >= 0 and earnings >= 0
    settings.PLATFORM_FEE_PERCENT = "12.5"
    fee, earnings = ledger.split(amount)
    assert fee + earnings == amount


@pytest.mark.promise("PAY-3")
def test_a_payment_books_the_fee_and_the_counselors_earnings(
    care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    paid = _paid(client_user, staff_user)
    entries = list(LedgerEntry.objects.filter(transaction=paid))
    assert _sum(entries) == 0  # double entry
    by_account = {e.account: e.amount_minor for e in entries}
    assert by_account == {"cash": -4500, "platform": 1350, "counselor": 3150}
    assert {e.counselor_id for e in entries} == {counselor.pk}
    assert ledger.balance_of(counselor.pk) == 3150


@pytest.mark.promise("PAY-3")
def test_a_refund_writes_the_reversing_entries(
    care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    from confide.billing.models import ProcessorPayment

    paid = _paid(client_user, staff_user)
    payment = ProcessorPayment.objects.create(
        due=paid.settles, processor="stripe", session_ref="cs_1", payment_ref="pi_1"
    )
    with transaction.atomic():
        _reversal(payment, Transaction.Kind.REFUNDED, 4500)
    refund = Transaction.objects.get(kind="refunded")
    entries = {e.account: e.amount_minor for e in LedgerEntry.objects.filter(transaction=refund)}
    assert entries == {"cash": 4500, "platform": -1350, "counselor": -3150}
    assert ledger.balance_of(counselor.pk) == 0
    assert _sum(LedgerEntry.objects.all()) == 0


@pytest.mark.promise("PAY-3")
def test_the_ledger_is_append_only_for_the_service_and_the_database(
    care: Any, client_user: Any, staff_user: Any
) -> None:
    entry = LedgerEntry.objects.filter(transaction=_paid(client_user, staff_user)).first()
    assert entry is not None
    entry.amount_minor = 1
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_minor=1)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE billing_ledgerentry SET amount_minor = 1")
    entry.refresh_from_db()
    assert entry.amount_minor != 1


def _account(counselor: Any, iban: str = IBAN_ES, bic: str = BIC_ES) -> PayoutAccount:
    return payouts.set_account(counselor, "Carmen Ruiz", iban, bic)


@pytest.mark.promise("PAY-3")
def test_a_payout_run_zeroes_balances_and_writes_valid_sepa_and_csv(
    care: Any, client_user: Any, counselor: Any, other_counselor: Any, staff_user: Any
) -> None:
    import xmlschema
    from sepaxml import validation

    _account(counselor)
    _paid(client_user, staff_user)
    _paid(client_user, staff_user, "package_5")
    # The other counselor earned too but gave no bank details: skipped, not paid.
    other_client = make_user("client")
    from confide.matching.models import CareRelationship

    CareRelationship.objects.create(client=other_client, counselor=other_counselor)
    _paid(other_client, staff_user)
    owed = ledger.balance_of(counselor.pk)
    assert owed == 3150 + 14000
    run = payouts.run_payouts(staff_user, timezone.localdate())
    assert [(p.counselor_id, p.amount_minor) for p in run.payouts] == [(counselor.pk, owed)]
    assert run.skipped == [other_counselor.pk]
    assert ledger.balance_of(counselor.pk) == 0
    assert ledger.balance_of(other_counselor.pk) == 3150
    assert _sum(LedgerEntry.objects.all()) == 0
    xsd = os.path.join(os.path.dirname(validation.__file__), "schemas", "pain.001.001.03.xsd")
    xmlschema.XMLSchema(xsd).validate(run.sepa_xml.decode())
    assert IBAN_ES.encode() in run.sepa_xml and b"171.50" in run.sepa_xml
    rows = list(csv.DictReader(io.StringIO(run.csv_text)))
    assert [(r["iban"], r["amount_minor"]) for r in rows] == [(IBAN_ES, str(owed))]
    with pytest.raises(AppendOnlyError):
        run.payouts[0].save()
    # A second run finds nothing left to pay.
    assert payouts.run_payouts(staff_user, timezone.localdate()).payouts == []
    assert Payout.objects.count() == 1


def test_without_a_debtor_account_there_is_no_sepa_file(
    settings: Any, care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    settings.PAYOUT_DEBTOR_IBAN = ""
    _account(counselor)
    _paid(client_user, staff_user)
    run = payouts.run_payouts(staff_user, timezone.localdate())
    assert run.sepa_xml == b"" and len(run.payouts) == 1 and IBAN_ES in run.csv_text


@pytest.mark.promise("PAY-3")
def test_only_payouts_staff_run_payouts(counselor: Any, team_leader: Any) -> None:
    no_flag = make_user("staff", is_staff=False)
    for person in (counselor, team_leader, no_flag):
        with pytest.raises(PermissionDenied):
            payouts.run_payouts(person, date.today())


@pytest.mark.promise("PAY-3")
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "IBAN is not valid"), ("es", "IBAN no es válido"), ("sv", "IBAN"), ("sq", "IBAN")],
)
def test_a_wrong_iban_is_refused_in_the_readers_language(
    counselor: Any, language: str, words: str
) -> None:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        _account(counselor, iban="ES9121000418450200051333")
    message = caught.value.messages[0]
    assert words in message
    if language != "en":
        assert message != "This IBAN is not valid. Check it against your bank statement."
    assert not PayoutAccount.objects.exists()


@pytest.mark.promise("PAY-3")
def test_bank_details_are_encrypted_at_rest(counselor: Any) -> None:
    _account(counselor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban, bic, holder FROM billing_payoutaccount")
        stored = b"".join(bytes(v) for v in cursor.fetchone())
    assert IBAN_ES.encode() not in stored and b"Carmen" not in stored


@pytest.mark.promise("PAY-3")
def test_only_the_counselor_and_payouts_staff_see_bank_details(
    counselor: Any, other_counselor: Any, team_leader: Any, client_user: Any, staff_user: Any
) -> None:
    _account(counselor)
    own = payouts.bank_details(counselor, counselor.pk)
    assert own is not None and own.iban == "•••• 1332"
    with pytest.raises(PermissionDenied):
        payouts.bank_details(counselor, counselor.pk, full=True)
    for person in (other_counselor, team_leader, client_user, make_user("staff")):
        with pytest.raises(PermissionDenied):
            payouts.bank_details(person, counselor.pk)
    full = payouts.bank_details(staff_user, counselor.pk, full=True)
    assert full is not None and full.iban == IBAN_ES


@pytest.mark.promise("PAY-3")
def test_every_full_iban_read_is_audited(counselor: Any, staff_user: Any, client: Any) -> None:
    _account(counselor)
    before = AuditEvent.objects.filter(action="access.bank_details").count()
    payouts.bank_details(counselor, counselor.pk)  # masked: not a full read
    assert AuditEvent.objects.filter(action="access.bank_details").count() == before
    payouts.bank_details(staff_user, counselor.pk, full=True)
    client.force_login(staff_user)
    page = client.get(reverse("billing:payout_account", args=[counselor.pk]))
    assert page.status_code == 200 and IBAN_ES in page.content.decode()
    events = AuditEvent.objects.filter(action="access.bank_details", subject_id=counselor.pk)
    assert events.count() == before + 2
    # The payout run and a file download read the full IBAN too: each audited, under the counselor.
    LedgerEntry.objects.create(
        counselor=counselor,
        account="counselor",
        currency="EUR",
        amount_minor=100,
        at=timezone.now(),
    )
    run = payouts.run_payouts(staff_user, timezone.localdate())
    client.get(reverse("billing:payout_file", args=[run.run, "csv"]))
    assert events.count() == before + 4
    assert set(events.values_list("actor_id", flat=True)) == {staff_user.pk}


@pytest.mark.promise("PAY-3")
def test_bank_details_pages_refuse_everyone_else(
    counselor: Any, other_counselor: Any, client_user: Any, team_leader: Any, client: Any
) -> None:
    _account(counselor)
    url = reverse("billing:payout_account", args=[counselor.pk])
    for person in (counselor, other_counselor, client_user, team_leader):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.get(reverse("billing:payouts")).status_code == 403
    client.force_login(counselor)
    page = client.get(reverse("billing:earnings"))
    assert page.status_code == 200 and "•••• 1332" in page.content.decode()
    assert IBAN_ES not in page.content.decode()


@pytest.mark.promise("PAY-3")
def test_bank_details_cannot_be_erased_while_a_payout_is_pending(
    care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    account = _account(counselor)
    _paid(client_user, staff_user)
    assert payouts.erase_account(counselor, str(account.pk)) is False
    assert PayoutAccount.objects.filter(pk=account.pk).exists()
    payouts.run_payouts(staff_user, timezone.localdate())
    assert payouts.erase_account(counselor, str(account.pk)) is True
    assert not PayoutAccount.objects.exists()


def test_the_monthly_statement_totals_the_counselors_month(
    care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    _paid(client_user, staff_user)
    _paid(client_user, staff_user)
    tz = timezone.get_current_timezone()
    month = timezone.localdate().replace(day=1)
    statement = ledger.statement(counselor.pk, month, tz)
    assert statement.earned == {"EUR": 6300} and statement.fees == {"EUR": 2700}
    assert statement.balance == {"EUR": 6300}
    earlier = (month.replace(day=1) - __import__("datetime").timedelta(days=1)).replace(day=1)
    assert ledger.statement(counselor.pk, earlier, tz).entries == []


def test_the_payouts_page_runs_payouts_and_gives_the_files(
    care: Any, client_user: Any, counselor: Any, staff_user: Any, client: Any, settings: Any
) -> None:
    _account(counselor)
    _paid(client_user, staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("billing:payouts"))
    assert page.status_code == 200 and "Carmen Ruiz" in page.content.decode()
    client.post(reverse("billing:payouts"), {"period_end": timezone.localdate().isoformat()})
    run = Payout.objects.get().run
    xml = client.get(reverse("billing:payout_file", args=[run, "xml"]))
    assert xml.status_code == 200 and IBAN_ES.encode() in xml.content
    assert b"Confide Operator SL" in xml.content
    settings.PAYOUT_DEBTOR_BIC = ""
    assert "is not configured" in client.get(reverse("billing:payouts")).content.decode()


def test_the_earnings_page_saves_bank_details_and_refuses_a_wrong_iban(
    counselor: Any, client: Any
) -> None:
    client.force_login(counselor)
    url = reverse("billing:earnings")
    answer = client.post(url, {"holder": "Carmen", "iban": "ES00 1234", "bic": ""}, follow=True)
    assert "IBAN is not valid" in answer.content.decode()
    assert not PayoutAccount.objects.exists()
    client.post(url, {"holder": "Carmen Ruiz", "iban": "es91 2100 0418 4502 0005 1332", "bic": ""})
    account = PayoutAccount.objects.get(counselor=counselor)
    assert account.iban == IBAN_ES and str(account.bic).startswith("CAIXESBB")  # from the IBAN
