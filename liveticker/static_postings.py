"""Postings of the browser's search index: for each key, one string of base-32 varints
(`DIGITS`) - doc-id gaps in ascending order, a 0 switching the field mask of the entries
that follow (`search_docs.BITS`). Appending documents, joining the postings of later ids
onto earlier ones, and reading them back (tests, debugging); `docs/search.md` describes
the format, `theme/static/js/search-core.js` reads it.
"""

from __future__ import annotations

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def varint(n: int) -> str:
    """5-bit groups, most significant first: continuation digits DIGITS[32:], the last
    group from DIGITS[:32] (`0` -> "0", `40` -> "x8")."""
    out = DIGITS[n & 31]
    n >>= 5
    while n:
        out = DIGITS[32 + (n & 31)] + out
        n >>= 5
    return out


_VARINT = [varint(n).encode() for n in range(1 << 15)]


def enc(n: int) -> bytes:
    return _VARINT[n] if n < 32768 else varint(n).encode()


def add_postings(postings: dict, batch: list[dict], first_id: int) -> None:
    """Append the key masks of docs first_id, first_id+1, ... to their postings."""
    get = postings.get
    small = _VARINT
    for doc_id, masks in enumerate(batch, first_id):
        for key, mask in masks.items():  # the inner loop of the build: keep it lean
            entry = get(key)
            if entry is None:
                postings[key] = [bytearray(b"0" + enc(mask) + enc(doc_id + 1)), doc_id, mask]
                continue
            if entry[2] != mask:
                entry[0] += b"0" + small[mask]
                entry[2] = mask
            gap = doc_id - entry[1]
            entry[0] += small[gap] if gap < 32768 else enc(gap)
            entry[1] = doc_id


def add_zero_mask(postings: dict, key: str, doc_id: int) -> None:
    entry = postings.get(key)
    if entry is None:
        postings[key] = [bytearray(b"00" + enc(doc_id + 1)), doc_id, 0]
    else:
        entry[0] += enc(doc_id - entry[1])
        entry[1] = doc_id


def append_postings(postings: dict, later: dict) -> None:
    """Join the postings of later doc ids onto `postings` (both as made by static_index._Part:
    each string starts with 0, its first mask and its first id + 1)."""
    for key, (data, last_id, last_mask) in later.items():
        entry = postings.get(key)
        if entry is None:
            postings[key] = [data, last_id, last_mask]
            continue
        mask, position = _decode_varint(data, 1)
        first, position = _decode_varint(data, position)
        head = b"" if mask == entry[2] else b"0" + enc(mask)
        entry[0] += head + enc(first - 1 - entry[1]) + data[position:]
        entry[1], entry[2] = last_id, last_mask


def _decode_varint(data: bytes, start: int) -> tuple[int, int]:
    value, position = 0, start
    while True:
        digit = DIGITS.index(chr(data[position]))
        position += 1
        if digit < 32:
            return value * 32 + digit, position
        value = value * 32 + digit - 32


def decode_postings(text: str) -> list[tuple[int, int]]:
    """[(doc id, mask), ...] of a postings string (tests, debugging)."""
    out, doc_id, mask, position, set_mask = [], -1, 0, 0, False
    data = text.encode()
    while position < len(data):
        value, position = _decode_varint(data, position)
        if set_mask:
            mask, set_mask = value, False
        elif value == 0:
            set_mask = True
        else:
            doc_id += value
            out.append((doc_id, mask))
    return out
