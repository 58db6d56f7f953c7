"""Validators for the identifiers of this field (DOMAIN.md §6)."""

import re
from datetime import date
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    """Unified social credit code, GB 32100-2015, including the check character."""
    code = normalize_credit_code(value)
    if not code:
        return
    try:
        uscc.validate(code)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (18 characters with a check digit)."),
            code="credit_code",
            params={"value": value},
        ) from exc


# A plain mainland mobile that phonenumbers parses to itself: it matches neither China's
# national prefix for parsing "(1(?:[12]\d|79)\d\d)|0" nor its international prefix
# "00|1(?:[12]\d|79)\d\d00", so no carrier code or IDD is stripped and the national number
# is the 11 digits as written. Imports normalize 100,000 of them: this skips the parsing.
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def normalize_phone(value: str) -> str:
    """Store phones in a single form: mobiles as 11 digits, landlines as 0AAA-NNNNNNN."""
    raw = (value or "").strip()
    if not raw:
        return ""
    if _PLAIN_MOBILE.fullmatch(raw) and not raw.startswith("179"):
        return raw
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return raw
    if number.country_code != 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = str(number.national_number)
    if len(national) == 11 and national.startswith("1"):
        return national
    area_length = phonenumbers.length_of_geographical_area_code(number)
    if area_length:
        return f"0{national[:area_length]}-{national[area_length:]}"
    return f"0{national}"


@lru_cache(maxsize=16384)
def _mobile_block_valid(prefix: str) -> bool:
    """Whether China's numbering plan allocates this 7-digit mobile block (1xx-xxxx): what
    phonenumbers says of an 11-digit mobile depends on its first seven digits only, so a
    roster of 100,000 mobiles asks it a few thousand times instead of 100,000."""
    return phonenumbers.is_valid_number(
        phonenumbers.PhoneNumber(country_code=86, national_number=int(prefix + "0000"))
    )


def validate_phone(value: str) -> None:
    """A mobile or landline number that China's numbering plan allows."""
    raw = (value or "").strip()
    if not raw:
        return
    if _PLAIN_MOBILE.fullmatch(raw) and not raw.startswith("179") and len(raw) == 11:
        if not _mobile_block_valid(raw[:7]):
            raise ValidationError(
                _("“%(value)s” is not a valid phone number."), code="phone", params={"value": value}
            )
        return
    try:
        if _PLAIN_MOBILE.fullmatch(raw) and not raw.startswith("179"):
            number = phonenumbers.PhoneNumber(country_code=86, national_number=int(raw))  # what parse gives
        else:
            number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="phone", params={"value": value}
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="phone", params={"value": value}
        )


def validate_division_code(value: str) -> None:
    if value and (len(value) != 6 or not value.isdigit()):
        raise ValidationError(
            _("An administrative division code has 6 digits (GB/T 2260)."), code="division_code"
        )


def normalize_id_number(value: str) -> str:
    """Resident ID numbers are stored as 18 characters with an upper-case X."""
    return (value or "").strip().upper().replace(" ", "")


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


@lru_cache(maxsize=8192)
def _birth_place_known(area: str, year: int) -> bool:
    """Whether the area code was assigned in the birth year (what ric.get_birth_place checks)."""
    try:
        ric.get_birth_place(f"{area}{year:04d}0101000X")
    except (StdnumError, KeyError):
        return False
    return True


def _id_number_is_valid(number: str) -> bool:
    """The checks of `ric.validate` (length, digits, check digit, birth date, birth place),
    computed directly with the place lookup cached: the fast path for valid numbers."""
    if not _ID_SHAPE.fullmatch(number):
        return False
    check = (1 - 2 * int(number[:17], 13)) % 11  # ric.calc_check_digit
    if number[17] != ("X" if check == 10 else str(check)):
        return False
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _birth_place_known(number[:6], birth.year)


def validate_id_number(value: str) -> None:
    """Resident identity card number, GB 11643-1999: a real birth date and the check digit."""
    number = normalize_id_number(value)
    if not number or _id_number_is_valid(number):
        return
    if len(number) != 18 or not number[:17].isdigit():
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID number (18 characters)."),
            code="id_number",
            params={"value": value},
        )
    try:
        ric.validate(number)
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of the ID number “%(value)s” is wrong."),
            code="id_number",
            params={"value": value},
        ) from exc
    except (InvalidComponent, KeyError) as exc:  # KeyError: stdnum on a province-level area code
        raise ValidationError(
            _("The ID number “%(value)s” holds no real birth date."),
            code="id_number",
            params={"value": value},
        ) from exc
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID number (18 characters)."),
            code="id_number",
            params={"value": value},
        ) from exc


def id_number_birth_date(value: str):
    """The birth date an ID number encodes (None when it is not a valid number)."""
    number = normalize_id_number(value)
    if _id_number_is_valid(number):
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    try:
        return ric.get_birth_date(number)
    except (StdnumError, ValueError):
        return None


def id_number_gender(value: str) -> str:
    """ "male"/"female" from the 17th digit (odd for men), "" when unknown."""
    number = normalize_id_number(value)
    if len(number) != 18 or not number[16].isdigit():
        return ""
    return "male" if int(number[16]) % 2 else "female"


def validate_mobile(value: str) -> None:
    """A mainland mobile number (11 digits starting with 1)."""
    raw = (value or "").strip()
    if not raw:
        return
    validate_phone(raw)
    normalized = normalize_phone(raw)
    if not (len(normalized) == 11 and normalized.startswith("1")):
        raise ValidationError(
            _("“%(value)s” is not a mobile number (11 digits starting with 1)."),
            code="mobile",
            params={"value": value},
        )
