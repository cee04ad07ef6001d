"""Pinyin for sorting unit names and finding them by initials ("nyj" → 农业农村局), and the
search-text helpers every search box shares (`clean_query`, `initials_pattern`).

pypinyin guesses readings from its phrase dictionary; names of Chinese organizations and places
have a few characters it reads wrongly out of context, which the override table fixes.
"""

from __future__ import annotations

from functools import cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

# Phrases whose reading in names differs from pypinyin's guess (多音字).
NAME_READINGS: dict[str, list[list[str]]] = {
    "石泉": [["shí"], ["quán"]],
    "重庆": [["chóng"], ["qìng"]],
    "长安": [["cháng"], ["ān"]],
    "银行": [["yín"], ["háng"]],
    "行政": [["xíng"], ["zhèng"]],
    "单位": [["dān"], ["wèi"]],
    "调解": [["tiáo"], ["jiě"]],
    "供销": [["gōng"], ["xiāo"]],
    "卫生": [["wèi"], ["shēng"]],
    "乐业": [["lè"], ["yè"]],
    "汉阴": [["hàn"], ["yīn"]],
    "岚皋": [["lán"], ["gāo"]],
    "蚕桑": [["cán"], ["sāng"]],
}


@cache
def _load() -> None:
    load_phrases_dict(NAME_READINGS)


def name_pinyin(text: str) -> str:
    """Full pinyin without tones, for sorting: 县农业农村局 → xiannongyenongcunju."""
    _load()
    return "".join(lazy_pinyin(text or "", errors="default")).lower()


def name_initials(text: str) -> str:
    """Initials: 县农业农村局 → xnynncj. Letters and digits in the name are kept."""
    _load()
    return "".join(lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")).lower()


def initials_pattern(query: str) -> str | None:
    """ "nyj" → "n.*y.*j": pinyin initials as a subsequence. Only for a query of ASCII letters
    and digits, so the pattern can carry no regex syntax of the user's."""
    letters = "".join(ch for ch in query.lower() if ch.isascii() and ch.isalnum())
    if letters and len(letters) == len(query.replace(" ", "")):
        return ".*".join(letters)
    return None


def clean_query(query: str | None) -> str:
    """The search text without control characters (PostgreSQL refuses NUL) and bounded."""
    return "".join(ch for ch in (query or "") if ch.isprintable())[:100].strip()
