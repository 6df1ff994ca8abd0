import pytest
from django.core.exceptions import ValidationError

from confide.counselors import validators


@pytest.mark.promise("INTAKE-3")
@pytest.mark.parametrize("value", ["1234567893", "1245319599", "1003000126"])
def test_npi_with_valid_check_digit(value):
    assert validators.npi_is_valid(value)
    assert validators.validate_npi(value) == value


@pytest.mark.promise("INTAKE-3")
@pytest.mark.parametrize("value", ["1234567890", "123456789", "12345678931", "abcdefghij", ""])
def test_npi_with_bad_check_digit_or_shape(value):
    assert not validators.npi_is_valid(value)
    with pytest.raises(ValidationError):
        validators.validate_npi(value)


@pytest.mark.promise("INTAKE-3")
def test_iban_good_and_bad():
    assert validators.validate_iban("ES91 2100 0418 4502 0005 1332") == "ES9121000418450200051332"
    assert validators.validate_iban("SE45 5000 0000 0583 9825 7466").startswith("SE45")
    with pytest.raises(ValidationError):
        validators.validate_iban("ES91 2100 0418 4502 0005 1333")
    with pytest.raises(ValidationError):
        validators.validate_iban("not an iban")


@pytest.mark.promise("INTAKE-3")
@pytest.mark.parametrize(
    ("country", "good", "bad"),
    [
        ("ES", "12345678Z", "12345678A"),  # DNI
        ("ES", "X1234567L", "X1234567A"),  # NIE
        ("SE", "811228-9874", "811228-9875"),  # personnummer
        ("AL", "J91402501L", "J9140250"),  # NIPT (format only)
        ("US", "536-90-4399", "000-12-3456"),  # SSN format
    ],
)
def test_national_ids(country, good, bad):
    assert validators.validate_national_id(country, good)
    with pytest.raises(ValidationError):
        validators.validate_national_id(country, bad)


def test_national_id_without_validator_is_stored_as_given():
    assert validators.validate_national_id("XX", " AB-123 ") == "AB-123"
    with pytest.raises(ValidationError):
        validators.validate_national_id("XX", "  ")


def test_documents_are_sniffed_by_content_not_name():
    assert validators.sniff_document(b"%PDF-1.7 ...") == "application/pdf"
    assert validators.sniff_document(b"\x89PNG\r\n\x1a\n....") == "image/png"
    with pytest.raises(ValidationError):
        validators.sniff_document(b"MZ\x90\x00 executable")
    with pytest.raises(ValidationError):
        validators.sniff_document(b"")
    with pytest.raises(ValidationError):
        validators.sniff_document(b"%PDF-" + b"0" * validators.MAX_DOCUMENT_BYTES)
