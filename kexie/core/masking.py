"""Masking of personal data for screens, the API and exports (PIPL: show the minimum)."""


def mask_phone(value: str) -> str:
    """13800138000 → 138****8000; landlines keep the area code and the last 2 digits."""
    if not value:
        return ""
    digits = value.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if "-" in value:
        area, _, local = value.partition("-")
        return f"{area}-{'*' * max(len(local) - 2, 1)}{local[-2:]}"
    return f"{value[:2]}{'*' * max(len(value) - 4, 1)}{value[-2:]}"


def mask_id_number(value: str) -> str:
    """110105194912310029 → 110105********0029 (region and last four shown)."""
    if not value:
        return ""
    return f"{value[:6]}{'*' * max(len(value) - 10, 1)}{value[-4:]}"
