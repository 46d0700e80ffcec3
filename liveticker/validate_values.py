"""Judging single values for `validate`: dates (with suggestions), the file's encoding,
invisible characters, and quoting contributor text safely inside a message."""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import re
import unicodedata

MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?")
_TIME = r"(?:(?:[ T]|,?\s+)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?(?:\s*Uhr)?)?"
_ZONE = r"(?:Z|[+-]\d{2}:?\d{2})?"
_LOOSE_DATES = (  # what people write instead: 9.2.2025 14:05 Uhr, 2025-2-9, 2025/02/09 ...
    re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})" + _TIME),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME + _ZONE),
)
# Controls (but tab and newline), C1 controls (a sign of mis-decoded text) and the
# bidirectional overrides that make text read differently from how it is stored.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def quote(value: str, limit: int = 60) -> str:
    """'value' for a message: control and invisible characters written as escapes (so
    contributor text can never start a new output line), long values shortened."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in value)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"


def check_date(value: str, field: str) -> tuple[tuple[dt.date | None, dt.time | None], str]:
    """Parse `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`: ((day, time or None), "") or
    ((None, None), message naming the field and value and saying how to fix it)."""

    def fail(problem: str) -> tuple[tuple[None, None], str]:
        return (None, None), f"field '{field}' has the value {quote(value)}{problem}"

    match = _DATE.fullmatch(value.strip())
    if not match:
        hint = suggest_date(value)
        fix = (f"did you mean {quote(hint)}?" if hint else
               "e.g. '2025-02-09 14:05', or '2025-02-09' when the time is unknown")  # fmt: skip
        return fail(f", expected 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD' - {fix}")
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not 1 <= month <= 12:
        return fail(f": there is no month {match[2]} - correct the month (01 to 12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return fail(f": {MONTHS[month]} {year} has no day {match[3]} (it has {last} days) - "
                    "correct the day or the month")  # fmt: skip
    if match[4] is None:
        return (dt.date(year, month, day), None), ""
    if int(match[4]) > 23 or int(match[5]) > 59:
        return fail(f": {match[4]}:{match[5]} is not a time of day - use 00:00 to 23:59")
    return (dt.date(year, month, day), dt.time(int(match[4]), int(match[5]))), ""


def suggest_date(value: str) -> str | None:
    """The canonical form of a date written another common way, if it exists."""
    for pattern in _LOOSE_DATES:
        match = pattern.fullmatch(value.strip())
        if not match:
            continue
        try:
            date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            time = dt.time(int(match["H"]), int(match["M"])) if match["H"] else None
        except ValueError:
            return None
        return f"{date:%Y-%m-%d}" + (f" {time:%H:%M}" if time else "")
    return None


def has_invisible(text: str) -> bool:
    return _INVISIBLE.search(text) is not None


def invisible_characters(text: str, by_offset: bool = False) -> list[tuple[int, str]]:
    """(position, 'U+202E (RIGHT-TO-LEFT OVERRIDE)') for each kind of invisible character,
    first occurrence only; the position is 1-based, or an offset with `by_offset`."""
    found: dict[str, int] = {}
    for match in _INVISIBLE.finditer(text):
        found.setdefault(match[0], match.start())
    return [(offset if by_offset else offset + 1, _describe(char))
            for char, offset in found.items()]  # fmt: skip


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def encoding_message(data: bytes) -> tuple[int, str]:
    """(line, message) for bytes that are not UTF-8: where, which byte, which encoding
    the file probably has, and how to fix it."""
    head = data[:400]
    if (
        data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        or head.count(0) > len(head) // 4
    ):
        return 1, ("the file is not valid UTF-8: it is saved as UTF-16 - save it as UTF-8 in "
                   "your editor")  # fmt: skip
    text = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    else:
        return 1, "the file is not valid UTF-8 - save it as UTF-8 in your editor"
    line = text.count(b"\n", 0, start) + 1
    column = len(text[text.rfind(b"\n", 0, start) + 1 : start].decode("utf-8")) + 1
    byte = text[start]
    try:
        meaning = f" ({quote(bytes([byte]).decode('cp1252'))} in Windows-1252)"
    except UnicodeDecodeError:
        meaning = ""
    if _UTF8_SEQUENCE.search(text):
        guess = "a mix of UTF-8 and another encoding, probably Windows-1252 (pasted text?)"
    elif any(0x80 <= b <= 0x9F for b in text):
        guess = "Windows-1252 (cp1252)"
    else:
        guess = "ISO-8859-1 (Latin-1) or Windows-1252"
    return line, (f"the file is not valid UTF-8: byte 0x{byte:02x}{meaning} at line {line}, "
                  f"column {column}; the file looks like {guess} - save it as UTF-8 in your "
                  "editor")  # fmt: skip
