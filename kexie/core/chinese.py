"""Chinese text for search: Traditional/Simplified folding and pinyin keys.

A record stores one `search_text` built by `search_text_for()`; a query is folded by
`normalize_query()` and matched with a plain substring test, so 長治, 长治, changzhi and
cz all find 长治市科协 on SQLite and PostgreSQL alike.
"""

import re
from functools import lru_cache
from typing import NamedTuple

import opencc
from pypinyin import Style, pinyin

_MAX_READINGS = 4  # alternatives kept per character
_SEPARATOR = "|"
_strip = re.compile(r"[\s\u3000·・\-_()（）]+")


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text or "")


def to_traditional(text: str) -> str:
    """Simplified → Traditional with Taiwan phrasing, as zh-hant users read it."""
    return _converter("s2twp").convert(text or "")


def normalize_query(text: str) -> str:
    """Fold a user's query: Traditional to Simplified, no spaces, lower case."""
    return _strip.sub("", to_simplified(text or "")).lower()


def _readings(text: str, style: Style) -> list[str]:
    """The usual reading, then each variant that changes one heteronym (长治: changzhi)."""
    per_char = pinyin(text, style=style, heteronym=True, errors=lambda chars: list(chars.lower()))
    per_char = [[r.lower() for r in options if r] or [""] for options in per_char]
    primary = [options[0] for options in per_char]
    readings = ["".join(primary)]
    for index, options in enumerate(per_char):
        for alternative in options[1:_MAX_READINGS]:
            readings.append("".join([*primary[:index], alternative, *primary[index + 1 :]]))
    return readings


def search_text_for(*texts: str) -> str:
    """The stored search key for a record: folded text, full pinyin and initials."""
    parts: list[str] = []
    for text in texts:
        folded = normalize_query(text)
        if not folded:
            continue
        parts.append(folded)
        parts.extend(_readings(folded, Style.NORMAL))
        parts.extend(_readings(folded, Style.FIRST_LETTER))
    unique = list(dict.fromkeys(parts))
    return _SEPARATOR + _SEPARATOR.join(unique) + _SEPARATOR if unique else ""


@lru_cache(maxsize=65536)  # names repeat: an import of 100,000 people has far fewer distinct ones
def pinyin_sort_key(text: str) -> str:
    """The key lists sort by: the first reading of each character."""
    return "".join(item[0] for item in pinyin(to_simplified(text or ""), style=Style.NORMAL))[:200].lower()


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"^[a-z]+$")


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def is_latin(text: str) -> bool:
    return bool(_LATIN.match(text or ""))


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str, str]:
    """(folded name, usual full pinyin, usual initials) of a person's name."""
    keys = person_name_keys(name)
    return keys.folded, keys.pinyin, keys.initials


WHOLE, START, INSIDE = 0, 1, 2  # where a search key sits in the name (NameKeys.tokens)
_ALL_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


class NameKeys(NamedTuple):
    """Everything a person's name is searched and sorted by (person_name_keys)."""

    folded: str  # Simplified, no spaces, lower case
    pinyin: str  # the usual full pinyin
    initials: str
    sort_key: str  # as pinyin_sort_key
    tokens: tuple[tuple[str, int], ...]  # (search key, WHOLE/START/INSIDE)


@lru_cache(maxsize=65536)  # names repeat: an import of 100,000 people has far fewer distinct ones
def person_name_keys(name: str) -> NameKeys:
    """The keys of a person's name from one reading of it (pypinyin with heteronyms, whose
    first readings are the usual ones).

    Search keys, matched exactly (characters) or by prefix (letters), with their place in
    the name: WHOLE for the whole name (its characters, its full pinyin, its initials),
    START for a key the name starts with, INSIDE for the rest. 张伟明 → 张 伟 明 张伟 伟明
    (one and two characters: any 1–2 character query is one key; longer ones narrow the
    first pair), zhangweiming weiming ming (full pinyin and the tails from each syllable,
    so a given name's pinyin finds it too), zwm, and the same with a heteronym's other
    reading (曾 → zeng/ceng). A letter query matching a WHOLE key by prefix is a name that
    starts with it.
    """
    folded = normalize_query(name)
    if not folded:
        return NameKeys("", "", "", pinyin_sort_key(name), ())
    ranks: dict[str, int] = {}

    def add(token: str, rank: int) -> None:
        if token:
            ranks[token] = min(rank, ranks.get(token, INSIDE))

    for size in (1, 2):
        for start in range(len(folded) - size + 1):
            piece = folded[start : start + size]
            if is_cjk(piece):
                add(piece, WHOLE if piece == folded else START if start == 0 else INSIDE)
    per_char = pinyin(folded, style=Style.NORMAL, heteronym=True, errors=lambda c: list(c.lower()))
    per_char = [[r.lower() for r in options if r][:2] or [""] for options in per_char]
    primary = [options[0] for options in per_char]
    readings = [primary]
    for index, options in enumerate(per_char):
        for alternative in options[1:]:
            readings.append([*primary[:index], alternative, *primary[index + 1 :]])
    for syllables in readings:
        add("".join(syllables)[:64], WHOLE)
        add("".join(s[:1] for s in syllables)[:64], WHOLE)
    for start in range(1, len(primary)):
        add("".join(primary[start:])[:64], INSIDE)
    full = "".join(primary)
    sort_key = full[:200] if _ALL_CJK.fullmatch(name) else pinyin_sort_key(name)
    return NameKeys(
        folded, full[:255], "".join(s[:1] for s in primary)[:64], sort_key, tuple(sorted(ranks.items()))
    )


def name_token_ranks(name: str) -> tuple[tuple[str, int], ...]:
    """The search keys of a person's name with their place in it (see person_name_keys)."""
    return person_name_keys(name).tokens


def name_tokens(name: str) -> frozenset[str]:
    """The search keys of a person's name (see name_token_ranks)."""
    return frozenset(token for token, _rank in name_token_ranks(name))
