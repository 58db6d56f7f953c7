"""The fast paths that let a 100,000-row import finish in time give exactly the answers of
the libraries they skip: stdnum for ID numbers, phonenumbers for mobiles."""

import random

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from kexie.core.validators import id_number_birth_date, normalize_phone, validate_id_number, validate_phone

AREAS = ("110105", "310104", "330106", "440106", "510107", "610113", "110000", "999999", "220581")


def library_says_id_is_valid(number: str) -> bool:
    try:
        ric.validate(number)
    except (StdnumError, KeyError):
        return False
    return True


def we_say_id_is_valid(number: str) -> bool:
    try:
        validate_id_number(number)
    except ValidationError:
        return False
    return True


def library_normalizes(raw: str) -> str:
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return raw
    national = str(number.national_number)
    if number.country_code == 86 and len(national) == 11 and national.startswith("1"):
        return national
    return "other"


def library_says_phone_is_valid(raw: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(raw, "CN"))
    except phonenumbers.NumberParseException:
        return False


def test_id_numbers_are_judged_as_stdnum_judges_them():
    rng = random.Random(2026)
    for area in AREAS:
        for year in range(1930, 2026, 3):
            base = (
                f"{area}{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 32):02d}{rng.randrange(1000):03d}"
            )
            for last in (None, "0", "X"):
                number = base + (ric.calc_check_digit(base + "0") if last is None else last)
                assert we_say_id_is_valid(number) == library_says_id_is_valid(number), number
                if library_says_id_is_valid(number):
                    assert id_number_birth_date(number) == ric.get_birth_date(number)


@pytest.mark.parametrize("prefix", range(10, 20))
def test_plain_mobiles_are_normalized_and_judged_as_phonenumbers_does(prefix):
    rng = random.Random(prefix)
    for third in range(1000):
        raw = f"{prefix}{third:03d}{rng.randrange(10**6):06d}"
        expected = library_normalizes(raw)
        if expected != "other":
            assert normalize_phone(raw) == expected, raw
        try:
            validate_phone(raw)
            valid = True
        except ValidationError:
            valid = False
        assert valid == library_says_phone_is_valid(raw), raw
