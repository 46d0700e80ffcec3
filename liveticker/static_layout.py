"""Cutting the browser index's sorted keys into term shards and posting files.

A shard ends before a key whose CRC-32 says so (each byte of a shard entry is a cut point
with probability 1/(3/4 shard_bytes), after shard_bytes/4 bytes) or before the shard
would pass twice shard_bytes; a key whose postings are longer than `own_file` gets its
own posting file, numbered by its CRC-32 (+1 on a clash). Boundaries depend on the keys
around them, so a changed key moves boundaries only near it: `layout`, given the last
layout and the keys whose postings changed, lays out anew only from the shard before
each change until a new shard starts where an old one did with the same shard names and
posting-file numbers taken so far, and takes the old shards in between. The result is
the full layout's (tests/test_search_static.py compares them on random changes).
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right


def layout(keys: list[str], postings: dict, shard_bytes: int, own_file: int,
           old: tuple[dict, dict] | None = None, changed: set | None = None) -> tuple:  # fmt: skip
    """(shard starts, {shard file: its keys}, {key: posting file number}) of `keys` in
    JS string order. Needs only the lengths of the postings, not their text. `old`:
    (shards, own) as last returned, when only the keys in `changed` were added, removed
    or changed length since."""
    cut = _Cutter(postings, shard_bytes, own_file)
    if not old or not old[0] or changed is None:
        for key in keys:
            cut.feed(key)
        return cut.finish()
    shards, own = old
    names = list(shards)
    firsts = [_utf16(shards[name][0]) for name in names]
    starts = {shards[name][0]: q for q, name in enumerate(names)}
    pending = sorted(map(_utf16, changed))
    owned: dict[int, dict] = {}  # old shard -> {key: its posting file number}
    for key, number in own.items():
        owned.setdefault(bisect_right(firsts, _utf16(key)) - 1, {})[key] = number

    def restart(p: int, q: int) -> int:
        """The old shard to lay out anew from for change p: the one holding it, or the
        one before if the change is its first key (the cut before it may move)."""
        r = max(bisect_right(firsts, pending[p]) - 1, q)
        return r - 1 if r > q and firsts[r] == pending[p] else r

    p = q = 0  # next pending change, next old shard not laid out yet
    while q < len(names):
        if p == len(pending):
            for s in range(q, len(names)):
                cut.take(names[s], shards[names[s]], owned.get(s, {}))
            break
        r = restart(p, q)
        for s in range(q, r):
            cut.take(names[s], shards[names[s]], owned.get(s, {}))
        q = r
        cut.added = region = ([], [])
        i = bisect_left(keys, firsts[r], key=_utf16) if r else 0
        while i < len(keys):
            key = keys[i]
            i += 1
            if not cut.feed(key):
                continue
            resync = starts.get(key, -1)
            if resync <= q:
                continue
            code = _utf16(key)
            while p < len(pending) and pending[p] < code:
                p += 1
            if p < len(pending) and pending[p] == code:
                continue
            old_crcs = {zlib.crc32(shards[names[s]][0].encode()) if s else 0
                        for s in range(q, resync + 1)}  # fmt: skip
            old_used = {n for s in range(q, resync) for n in owned.get(s, {}).values()}
            if key in own:
                old_used.add(own[key])
            if set(region[0]) != old_crcs or set(region[1]) != old_used:
                continue
            # The state of the old layout after this key: from here on the old shards
            # stand until the next change.
            q = resync
            if p == len(pending) or restart(p, q) > q:
                cut.take_rest(names[q], shards[names[q]], owned.get(q, {}))
                q += 1
                break
            cut.added = region = ([region[0][-1]], [cut.own[key]] if key in cut.own else [])
        else:
            break
    return cut.finish()


class _Cutter:
    """The state of a layout walking the keys in order."""

    def __init__(self, postings: dict, shard_bytes: int, own_file: int):
        self.postings, self.own_file = postings, own_file
        self.spread = max(1, shard_bytes * 3 // 4)
        self.quarter, self.limit = shard_bytes // 4, 2 * shard_bytes
        self.starts: list[str] = []
        self.crcs: set[int] = set()  # of the shard starts: a shard's name is its start's
        self.used: set[int] = set()  # posting file numbers
        self.shards: dict[str, tuple] = {}
        self.own: dict[str, int] = {}
        self.shard: list[str] = []
        self.size = 0
        self.added: tuple[list, list] = ([], [])  # crcs and numbers taken since a mark

    def feed(self, key: str) -> bool:
        """Lay out the next key; True if it starts a shard."""
        crc = zlib.crc32(key.encode())
        length = len(self.postings[key][0])
        if length > self.own_file:
            number = crc
            while number in self.used:
                number += 1
            self.used.add(number)
            self.added[1].append(number)
            self.own[key] = number
            length = 10
        entry = len(key) + length + 6
        size = self.size
        # Each byte of an entry is a cut point with probability 1/spread, after a minimum
        # size: shards average about shard_bytes, whatever the sizes of the entries.
        due = size + entry > self.limit or (size >= self.quarter and crc % self.spread < entry)
        if self.shard and due and crc not in self.crcs:
            self._close()
        started = not self.shard
        if started:
            start = key if self.starts else ""
            self.starts.append(start)
            self.crcs.add(crc if start else 0)
            self.added[0].append(crc if start else 0)
        self.shard.append(key)
        self.size += entry
        return started

    def take(self, name: str, keys: tuple, own: dict) -> None:
        """Take an old shard as it was (the state before it is the old one's); `own`:
        the posting file numbers of its keys."""
        start = keys[0] if self.starts else ""
        self.starts.append(start)
        self.crcs.add(zlib.crc32(start.encode()))
        self.take_rest(name, keys, own)

    def take_rest(self, name: str, keys: tuple, own: dict) -> None:
        """End the shard begun with keys[0] as the old one did."""
        self.own.update(own)
        self.used.update(own.values())
        self.shards[name] = keys
        self.shard, self.size = [], 0

    def _close(self) -> None:
        self.shards[shard_name(self.starts[-1])] = tuple(self.shard)
        self.shard, self.size = [], 0

    def finish(self) -> tuple:
        if self.shard:
            self._close()
        return self.starts, self.shards, self.own


def shard_name(start: str) -> str:
    """File name of the shard whose first key is `start` (search-core.js: shardName)."""
    return f"t/{_base36(zlib.crc32(start.encode()))}"


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")  # the order of JavaScript's `<` on strings


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + out
        if not number:
            return out
